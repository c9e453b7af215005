import Foundation
import Quantization
import Tensors
import XCTest

/// The K210 arithmetic of `k210.md` §3 against hand-computed values, and a whole KPU layer
/// against a float convolution with the same (dequantized) weights.
final class K210Tests: XCTestCase {
  /// nncase 1.9's banker `carry_shift`: floor integral, fractional bits ≥ 0, correction by
  /// sign(v). Positive values round half to even; negative values come out odd.
  func testBankerCarryShiftIncludingNegativeHalves() {
    XCTAssertEqual(K210Rounding.bankerCarryShift(5, 1), 2)  // 2.5 → 2 (even)
    XCTAssertEqual(K210Rounding.bankerCarryShift(7, 1), 4)  // 3.5 → 4 (even)
    XCTAssertEqual(K210Rounding.bankerCarryShift(9, 2), 2)  // 2.25 → 2
    XCTAssertEqual(K210Rounding.bankerCarryShift(11, 2), 3)  // 2.75 → 3
    // −1.5: −6 >> 2 = −2, fractional (−6) & 3 = 2 = half, −2 even → −2
    XCTAssertEqual(K210Rounding.bankerCarryShift(-6, 2), -2)
    // −2.5: −5 >> 1 = −3, fractional 1 = half, −3 odd → −3 + (−1) = −4
    XCTAssertEqual(K210Rounding.bankerCarryShift(-5, 1), -4)
    // −0.5: −2 >> 2 = −1, fractional 2 = half, −1 odd → −2
    XCTAssertEqual(K210Rounding.bankerCarryShift(-2, 2), -2)
    // −0.25 (k210.md's example): −1 >> 2 = −1, fractional 3 > half → −2
    XCTAssertEqual(K210Rounding.bankerCarryShift(-1, 2), -2)
    // −1.75: −7 >> 2 = −2, fractional 1 < half → −2
    XCTAssertEqual(K210Rounding.bankerCarryShift(-7, 2), -2)
    XCTAssertEqual(K210Rounding.bankerCarryShift(-3, 0), -3)
    XCTAssertEqual(K210Rounding.bankerCarryShift(3, -2), 12)
    // the SDK's carry shift rounds half up
    XCTAssertEqual(K210Rounding.carryShift(5, 1), 3)
    XCTAssertEqual(K210Rounding.carryShift(-5, 1), -2)
    XCTAssertEqual(K210Rounding.carryShift(-1, 2), 0)
  }

  /// get_fixed_mul, frexp-based, in Float.
  func testFixedMulHandValues() {
    // 0.3 = 0.6·2^−1, (22 bits signed → 21, max shift 15): s = min(15 − 1, 21) = 14,
    // mul = 0.6·2^14 = 9830.4, shift = 15 → lrintf 9830
    let a = K210FixedMul(0.3, maxBits: 22, maxShift: 15, signed: true)
    XCTAssertEqual(a.shift, 15)
    XCTAssertEqual(a.mul, 9830.4, accuracy: 1e-3)
    XCTAssertEqual(a.roundedMultiplier, 9830)
    // 5 = 0.625·2^3 > 1: shift = min(15, 21 − 3) = 15, mul = 0.625·2^18 = 163840
    XCTAssertEqual(K210FixedMul(5, maxBits: 22, maxShift: 15, signed: true), K210FixedMul(mul: 163_840, shift: 15))
    // 3000 = 0.732421875·2^12: shift = min(15, 21 − 12) = 9, mul = 3000·2^9
    XCTAssertEqual(K210FixedMul(3000, maxBits: 22, maxShift: 15, signed: true), K210FixedMul(mul: 1_536_000, shift: 9))
    XCTAssertEqual(K210FixedMul(0, maxBits: 22, maxShift: 15, signed: true), K210FixedMul(mul: 0, shift: 0))
    // activation slope 0.01 = 0.64·2^−6, (16 signed → 15, 43): s = min(37, 15) = 15,
    // mul = 0.64·2^15 = 20971.52 → 20972, shift 21
    let b = K210FixedMul(0.01, maxBits: 16, maxShift: 43, signed: true)
    XCTAssertEqual(b.shift, 21)
    XCTAssertEqual(b.roundedMultiplier, 20972)
    // 1e−6 = 0.524288·2^−19: s = 15, mul = 17179.869 → 17180, shift 34
    let c = K210FixedMul(1e-6, maxBits: 16, maxShift: 43, signed: true)
    XCTAssertEqual(c.shift, 34)
    XCTAssertEqual(c.roundedMultiplier, 17180)
    // a negative slope keeps its sign in the multiplier
    XCTAssertEqual(K210FixedMul(-0.01, maxBits: 16, maxShift: 43, signed: true).roundedMultiplier, -20972)
  }

  /// fixup_range and get_quant_param (unsigned) by hand.
  func testQuantParamsAndRangeFixUp() {
    let q = K210QuantParam(range: -1...3)  // scale 4/255, zero point round(255/4 = 63.75) = 64
    XCTAssertEqual(q.zeroPoint, 64)
    XCTAssertEqual(q.scale, Float(4.0 / 255))
    XCTAssertEqual(q.quantize(0), 64)
    XCTAssertEqual(q.quantize(3), 255)  // 191.25 + 64 → clamped
    XCTAssertEqual(q.quantize(-5), 0)
    XCTAssertEqual(K210QuantParam.fixup(0.5...0.5), 0...0.6)  // span 0 → 0.1, then 0 included
    XCTAssertEqual(K210QuantParam.fixup(1...1.005).upperBound, 1.01, accuracy: 1e-6)  // span < 0.01 → 0.01
    XCTAssertEqual(K210QuantParam.fixup(-0.004...0.002, symmetric: true), -0.01...0.01)
    let w = K210QuantParam(range: K210QuantParam.fixup(-0.5...0.25, symmetric: true))  // [−0.5, 0.5]
    XCTAssertEqual(w.zeroPoint, 128)  // round(127.5), half away from zero
    XCTAssertEqual(w.quantize(0.25), 192)  // 63.75 + 128 → 192
    XCTAssertEqual(w.quantize(-0.25), 64)  // −63.75 + 128 = 64.25 → 64
  }

  /// The s_act_in search and BN words for s_in = 0.01, s_w = (0.004, 0.002), b = (0.5, −1),
  /// pre-activation scale 0.05, 8 input channels, 3×3:
  /// x_bits = 17 + ⌈log₂(8 + 9)⌉ = 22, bits = min(21, 36 − 22) = 14,
  /// min s_act_in = max(4e−5 / (2^14 − 1), 1 / (2^31 − 1)) = 2.4416e−9, so 0.05 halves 24 times
  /// (0.05/2^24 = 2.98e−9 ≥ 2.44e−9 > 0.05/2^25).
  /// Channel 0: so = 4e−5 / s_act_in = 13421.77 = 0.8192·2^14 → shift min(15, 21 − 14) = 7,
  /// mul = 0.8192·2^21 = 1717986.9 → 1717987; add = 0.5 / s_act_in = 10·2^24.
  /// Channel 1: so = 6710.89 = 0.8192·2^13 → shift 8, mul 1717987; add = −20·2^24.
  func testActInScaleSearchAndBatchNormWords() {
    let (words, sActIn) = K210Quantizer.batchNorm(
      bias: [0.5, -1], inputScale: 0.01, weightScales: [0.004, 0.002], preActivationScale: 0.05, groupInputChannels: 8,
      filter: 3)
    XCTAssertEqual(sActIn, 0.05 / 16_777_216)
    XCTAssertEqual(
      words,
      [
        K210ConvLayer.BatchNorm(mul: 1_717_987, shift: 7, add: 167_772_160),
        K210ConvLayer.BatchNorm(mul: 1_717_987, shift: 8, add: -335_544_320),
      ])
  }

  /// A table segment with a negative slope exercises banker rounding of negative halves:
  /// segment 1 starts at 0 with mul −1, shift 1, bias 100.
  func testActivationTableSegmentsAndNegativeHalves() {
    var segments = [K210ActivationTable.Segment(start: -(1 << 35), mul: 0, shift: 0, bias: 0)]
    segments.append(K210ActivationTable.Segment(start: 0, mul: -1, shift: 1, bias: 100))
    for i in 2..<16 { segments.append(K210ActivationTable.Segment(start: Int64(1000 * i), mul: 1, shift: 0, bias: 7)) }
    let table = K210ActivationTable(segments: segments)
    XCTAssertEqual(table.apply(0), 0)  // not > 0: segment 0 → 0
    XCTAssertEqual(table.apply(-50), 0)
    XCTAssertEqual(table.apply(1), 98)  // −0.5 → −2 (odd quirk) → 98
    XCTAssertEqual(table.apply(3), 98)  // −1.5 → −2 → 98
    XCTAssertEqual(table.apply(5), 96)  // −2.5 → −4 → 96
    XCTAssertEqual(table.apply(2000), 0)  // not > 2000: segment 1, −1000 + 100 clamped to 0
    XCTAssertEqual(table.apply(2001), 8)  // segment 2: (2001 − 2000)·1 + 7
    XCTAssertEqual(table.apply(20_000), 255)  // segment 15, clamped
  }

  /// A ReLU6 (a clamp to [0, 6]) after a conv whose calibrated output is never positive samples
  /// a single point (x = 0); the table then outputs relu6(0) = 0 in the output format, code z_out =
  /// round(127.5) = 128 for the range [−1, 1], for every BN output.
  func testDegenerateActivationRangeGivesAConstantTable() {
    let table = K210Quantizer.activationTable(
      actInScale: 0.001, preActivation: K210QuantParam(range: -2...0), output: K210QuantParam(range: -1...1),
      activation: .relu6)
    XCTAssertEqual(table.apply(-5000), 128)
    XCTAssertEqual(table.apply(12345), 128)
    XCTAssertEqual(table.segments[15].mul, 0)
  }

  /// ReLU is a function sampled over the whole pre-activation range, as nncase 1.9 compiles an
  /// ONNX Relu: for a pre-activation range [−2, 0] the fitted segments start at −2 / s_act_in,
  /// and every BN output in the range gives relu = 0, code z_out = 128 (below the first fitted
  /// start, segment 0 outputs code 0, as nncase's table does).
  func testReLUIsSampledBelowZero() {
    let table = K210Quantizer.activationTable(
      actInScale: 0.001, preActivation: K210QuantParam(range: -2...0), output: K210QuantParam(range: -1...1),
      activation: .relu)
    XCTAssertEqual(table.segments[1].start, -2000)
    XCTAssertEqual(table.apply(-1500), 128)
    XCTAssertEqual(table.apply(-1), 128)
    XCTAssertEqual(table.apply(-5000), 0)
  }

  /// alu with nncase's fields equals Σ(x − z_in)(w − 128) over the taps (the conv the fields
  /// encode), for random codes.
  func testALUFieldsEncodeTheZeroPointCorrectedSum() {
    var rng = RandomStream(seed: 3)
    let zIn: Int64 = 37, taps = 9, gic = 4
    let xs = (0..<(taps * gic)).map { _ in Int64(rng.nextInt(below: 256)) }
    let ws = (0..<(taps * gic)).map { _ in Int64(rng.nextInt(below: 256)) }
    let direct = zip(xs, ws).map { ($0 - zIn) * ($1 - 128) }.reduce(0, +)
    let alu = K210ConvLayer.alu(
      sumXW: zip(xs, ws).map { $0 * $1 }.reduce(0, +), sumX: xs.reduce(0, +), sumW: ws.reduce(0, +),
      argX: -128, shiftX: 0, argW: -zIn, shiftW: 0, argAdd: Int64(taps) * 128 * zIn, groupInputChannels: gic)
    XCTAssertEqual(alu, direct)
  }

  /// A 1×1, weight 0.5 conv with ReLU: input s = 0.01, output range [0, 1.275] (s = 0.005).
  /// The weight is the channel's extreme, 0.5 / (1/255) + 128 = 255.5, stored as 255 (clamped):
  /// nncase's symmetric weight range loses half a step at the top, so the effective weight is
  /// 127/255 and the expected output code is round(x · 254/255) — within 1 LSB of that at every
  /// input code, and equal at nearly all.
  func testOneByOneLayerReproducesTheExpectedCodes() {
    let r = K210Quantizer.quantize(
      weight: Tensor(shape: [1, 1, 1, 1], scalars: [0.5]), bias: Tensor(shape: [1], scalars: [0]), depthwise: false,
      inputRange: 0...2.55, convOutputRange: 0...1.275, outputRange: 0...1.275, activation: .relu)
    XCTAssertEqual(r.input.zeroPoint, 0)
    XCTAssertEqual(r.layer.weights, [255])
    XCTAssertEqual(r.layer.argAdd, 0)
    XCTAssertEqual(r.layer.argX, -128)
    XCTAssertEqual(r.layer.argW, 0)
    let codes = (0..<256).map { UInt8($0) }
    let out = r.layer.run(codes, height: 16, width: 16)
    let expected = codes.map { Int((Double($0) * 254 / 255).rounded()) }
    let diffs = zip(out, expected).map { abs(Int($0) - $1) }
    XCTAssertLessThanOrEqual(diffs.max() ?? 9, 1)
    XCTAssertGreaterThan(diffs.filter { $0 == 0 }.count, 240)
  }

  /// 3×3 layers (full and depthwise) with leaky ReLU against a float convolution of the
  /// dequantized input and weights: the BN multiplier (22 bits), the activation table (15 fitted
  /// segments, 16-bit slopes) and banker rounding keep every code within 2 LSB of the float
  /// result quantized the same way, and the mean difference small.
  func testThreeByThreeLayersAgreeWithFloatWithinTwoLSB() {
    for depthwise in [false, true] {
      var rng = RandomStream(seed: depthwise ? 8 : 9)
      let (ic, oc, h, w) = (depthwise ? 3 : 4, 3, 7, 6)
      let gic = depthwise ? 1 : ic
      let weight = Tensor<Float>.uniform([oc, gic, 3, 3], low: -0.6, high: 0.6, rng: &rng)
      let bias = Tensor<Float>.uniform([oc], low: -0.3, high: 0.3, rng: &rng)
      let input = (0..<(ic * h * w)).map { _ in UInt8(rng.nextInt(below: 256)) }
      let inQ = K210QuantParam(range: -1...1)
      let x = input.map { inQ.dequantize($0) }
      // dequantized weights as the layer stores them
      let wScales = (0..<oc).map { o -> Float in
        let ch = weight.scalars[(o * gic * 9)..<((o + 1) * gic * 9)]
        return K210QuantParam(range: K210QuantParam.fixup((ch.min() ?? 0)...(ch.max() ?? 0), symmetric: true)).scale
      }
      func conv(_ wq: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: oc * h * w)
        for o in 0..<oc {
          for i in 0..<h {
            for j in 0..<w {
              var s = bias.scalars[o]
              for c in 0..<gic {
                let plane = depthwise ? o : c
                for ki in 0..<3 {
                  for kj in 0..<3 {
                    let (yy, xx) = (i + ki - 1, j + kj - 1)
                    guard yy >= 0, yy < h, xx >= 0, xx < w else { continue }
                    s += x[(plane * h + yy) * w + xx] * wq[((o * gic + c) * 3 + ki) * 3 + kj]
                  }
                }
              }
              y[(o * h + i) * w + j] = s
            }
          }
        }
        return y
      }
      let pre = conv(weight.scalars)
      let post = pre.map { $0 > 0 ? $0 : 0.1 * $0 }
      let r = K210Quantizer.quantize(
        weight: weight, bias: bias, depthwise: depthwise, inputRange: -1...1,
        convOutputRange: (pre.min() ?? 0)...(pre.max() ?? 0),
        outputRange: (post.min() ?? 0)...(post.max() ?? 0), activation: .leakyRelu(alpha: 0.1))
      XCTAssertEqual(r.weightScales, wScales)
      let wDeq = r.layer.weights.enumerated().map { i, q in Float(Int(q) - 128) * wScales[i / (gic * 9)] }
      let expected = conv(wDeq).map { r.output.quantize($0 > 0 ? $0 : 0.1 * $0) }
      let got = r.layer.run(input, height: h, width: w)
      let diffs = zip(got, expected).map { abs(Int($0) - Int($1)) }
      XCTAssertLessThanOrEqual(diffs.max() ?? 99, 2, "depthwise \(depthwise)")
      XCTAssertLessThan(Double(diffs.reduce(0, +)) / Double(diffs.count), 0.3, "depthwise \(depthwise)")
    }
  }
}

extension K210FixedMul {
  init(mul: Float, shift: Int) {
    self.init(0, maxBits: 22, maxShift: 15, signed: true)
    self.mul = mul
    self.shift = shift
  }
}
