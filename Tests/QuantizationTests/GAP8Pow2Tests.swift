import Foundation
import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// The `gap8-pow2` scheme: hand-computed convolutions (int16 and int8, ties at negative halves),
/// AutoTiler's clip after every input channel against the DP variant, the concat fold, mixed
/// precision, the relation to the fake-quant executor, and a zoo model against float.
final class GAP8Pow2Tests: XCTestCase {
  /// One 1×1 conv, two output channels, int16. Formats (gap8.md §3.1):
  /// input max|x| = 1.5 → ⌈log2 1.5⌉ = 1 integer bit → Q14; weights ±0.75 → 0 integer bits → Q15,
  /// codes ±0.75·2¹⁵ = ±24576; output max 3 → 2 integer bits; guard 2 + 15 + 14 = 31 ≤ 31;
  /// Norm = 2 + 15 + 14 − 15 = 16, out = 15 + 14 − 16 = Q13; biases 0.25, −0.125 → 2048, −1024.
  /// Inputs 2⁻¹², −2⁻¹², −2.5·2⁻¹⁴, 1 → codes 4, −4, ⌊−2.5 + ½⌋ = −2 (ties up), 16384.
  /// acc = code·±24576 = ±98304, ∓98304, ∓49152, ±402653184; roundnorm(acc, 16) = ⌊acc/2¹⁶ + ½⌋:
  /// channel 0: 1.5 → 2, −1.5 → −1, −0.75 → −1, 6144; channel 1: −1, 2, 1, −6144.
  func testHandComputedInt16ConvolutionRoundsTiesUp() throws {
    let graph = try oneByOne(weights: [0.75, -0.75], bias: [0.25, -0.125])
    let model = try SchemeQuantization.quantize(
      graph, scheme: .gap8Pow2, ranges: ["image": -1.5...1.5, "c": -3...3])
    XCTAssertEqual(model.table["image"], TensorQuantization(fractionalBits: 14, elementType: .int16))
    XCTAssertEqual(model.table["c"], TensorQuantization(fractionalBits: 13, elementType: .int16))
    XCTAssertEqual(model.table["c.weight"], TensorQuantization(fractionalBits: 15, elementType: .int16))
    XCTAssertEqual(model.table["c.bias"], TensorQuantization(fractionalBits: 13, elementType: .int16))
    XCTAssertEqual(
      model.graph.parameters["c.weight"]?.data, .int16(Tensor(shape: [2, 1, 1, 1], scalars: [24576, -24576])))
    XCTAssertEqual(model.graph.parameters["c.bias"]?.data, .int16(Tensor(shape: [2], scalars: [2048, -1024])))
    let feed = ["image": Tensor<Float>(shape: [1, 1, 2, 2], scalars: [0x1p-12, -0x1p-12, -2.5 * 0x1p-14, 1])]
    let expected: [Int16] = [2050, 2047, 2047, 8192, -1025, -1022, -1023, -7168]
    for dp in [false, true] {
      let codes = try Pow2Executor(model, doublePrecision: dp).runCodes(inputs: feed)
      XCTAssertEqual(codes["image"]?.scalars, [4, -4, -2, 16384])
      XCTAssertEqual(codes["c"]?.scalars, expected, "one input channel: DP \(dp) is the same")
    }
    // every operand and real result is exact in float here, so fake-quant (⌊y·2¹³ + ½⌋) is equal
    let fq = try FakeQuantExecutor(model).run(inputs: feed)
    XCTAssertEqual(fq["c"]?.scalars, expected.map { Float($0) / 8192 })
    let out = try SchemeQuantization.executor(for: model).run(inputs: feed)
    XCTAssertEqual(out["c"]?.scalars, expected.map { Float($0) / 8192 })
  }

  /// The same conv with `bits = 8`: input Q6 (8 − 1 − 1), weights Q7 (codes ±96), output
  /// 2 integer bits, Norm = 2 + 7 + 6 − 7 = 8, output Q5; biases 0.25·32 = 8, −0.125·32 = −4.
  /// Inputs 2⁻⁴, −2⁻⁴ → codes 4, −4; acc = ±384 → ±1.5 → 2, −1 (ties up) and −1, 2.
  func testHandComputedInt8Convolution() throws {
    let graph = try oneByOne(weights: [0.75, -0.75], bias: [0.25, -0.125], pixels: 2)
    let model = try SchemeQuantization.quantize(
      graph, scheme: .gap8Pow2, ranges: ["image": -1.5...1.5, "c": -3...3], options: QuantizationOptions(bits: 8))
    XCTAssertEqual(model.table["c"], TensorQuantization(fractionalBits: 5, elementType: .int8))
    XCTAssertEqual(model.graph.parameters["c.weight"]?.data, .int8(Tensor(shape: [2, 1, 1, 1], scalars: [96, -96])))
    XCTAssertEqual(model.graph.parameters["c.bias"]?.data, .int8(Tensor(shape: [2], scalars: [8, -4])))
    let codes = try Pow2Executor(model).runCodes(inputs: [
      "image": Tensor(shape: [1, 1, 1, 2], scalars: [0.0625, -0.0625])
    ])
    XCTAssertEqual(codes["c"]?.scalars, [10, 7, -5, -2])
  }

  /// AutoTiler's non-DP convolution clips to int16 after every input channel (§4.6); DP does not.
  /// 1×1 conv, two input channels, weights (0.75, −0.75), no bias. Input max 2 → Q14, weights Q15
  /// (±24576), output max 0.9 → 0 integer bits, Norm = 0 + 15 + 14 − 15 = 14, output Q15.
  /// Input (1.5, 1.5) → codes 24576, 24576. Channel 0: 24576·24576/2¹⁴ = 36864 → clip 32767;
  /// channel 1: 32767 − 36864 = −4097. DP: 36864 − 36864 = 0 (the real result is 0).
  func testNonDPClipsAfterEveryInputChannel() throws {
    var b = GraphBuilder(name: "clip")
    let x = b.input("image", shape: [1, 2, 1, 1])
    b.output(
      try b.add(.conv, "c", [x], ["outChannels": .int(1), "kernel": .ints([1, 1]), "bias": .bool(false)]))
    var graph = try b.finish()
    graph.parameters["c.weight"]?.value = Tensor(shape: [1, 2, 1, 1], scalars: [0.75, -0.75])
    let model = try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ["image": -2...2, "c": -0.9...0.9])
    XCTAssertEqual(model.table["c"]?.fractionalBits, 15)
    let feed = ["image": Tensor<Float>(shape: [1, 2, 1, 1], scalars: [1.5, 1.5])]
    XCTAssertEqual(try Pow2Executor(model).runCodes(inputs: feed)["c"]?.scalars, [-4097])
    XCTAssertEqual(try Pow2Executor(model, doublePrecision: true).runCodes(inputs: feed)["c"]?.scalars, [0])
    let dpModel = try SchemeQuantization.quantize(
      graph, scheme: .gap8Pow2, ranges: ["image": -2...2, "c": -0.9...0.9],
      options: QuantizationOptions(doublePrecision: true))
    XCTAssertEqual(try SchemeQuantization.executor(for: dpModel).run(inputs: feed)["c"]?.scalars, [0])
  }

  /// Concat alignment folded into the producing conv (gap_quantization `fix_alignment`): conv a
  /// (output max 1 → Q15) reaches the concat through a ReLU, conv b (max 4 → Q13) directly; the
  /// common format is Q13, so a's Norm grows by 2, its output and its ReLU's become Q13, and its
  /// bias 5.6·2⁻¹⁵ is quantized in Q15 (⌊5.6 + ½⌋ = 6) and then roundnorm'd by 2: ⌊(6 + 2)/4⌋ = 2
  /// (quantized directly in Q13 it would be ⌊1.4 + ½⌋ = 1). The concat then copies codes.
  func testConcatAlignmentIsFoldedIntoTheProducingConv() throws {
    var b = GraphBuilder(name: "fold")
    let x = b.input("image", shape: [1, 1, 1, 2])
    let a = try b.add(.conv, "a", [x], ["outChannels": .int(1), "kernel": .ints([1, 1])])
    let ra = try b.add(.relu, "ra", [a])
    let c = try b.add(.conv, "b", [x], ["outChannels": .int(1), "kernel": .ints([1, 1])])
    b.output(try b.add(.concat, "cat", [ra, c]))
    var graph = try b.finish()
    graph.parameters["a.weight"]?.value = Tensor(shape: [1, 1, 1, 1], scalars: [0.75])
    graph.parameters["a.bias"]?.value = Tensor(shape: [1], scalars: [5.6 * 0x1p-15])
    graph.parameters["b.weight"]?.value = Tensor(shape: [1, 1, 1, 1], scalars: [-3])
    graph.parameters["b.bias"]?.value = Tensor(shape: [1], scalars: [0])
    let model = try SchemeQuantization.quantize(
      graph, scheme: .gap8Pow2, ranges: ["image": -1...1, "a": -1...1, "ra": 0...1, "b": -4...4, "cat": -4...4])
    for name in ["a", "ra", "b", "cat", "a.bias"] { XCTAssertEqual(model.table[name]?.fractionalBits, 13, name) }
    XCTAssertEqual(model.graph.parameters["a.bias"]?.data, .int16(Tensor(shape: [1], scalars: [2])))
    // input Q15: 0.5 → 16384; a: weight Q15 24576, Norm 15 + 15 − 13 = 17: 2 + ⌊16384·24576/2¹⁷ + ½⌋ = 3074
    let feed = ["image": Tensor<Float>(shape: [1, 1, 1, 2], scalars: [0.5, -0.5])]
    let codes = try Pow2Executor(model).runCodes(inputs: feed)
    XCTAssertEqual(codes["a"]?.scalars, [3074, -3070])
    XCTAssertEqual(codes["cat"]?.scalars, [3074, 0] + (codes["b"]?.scalars ?? []))
  }

  /// Mixed precision: an int8 layer between int16 ones keeps its own width; the next layer reads
  /// its int8 codes directly with Norm = Q_in + Q_w − Q_out.
  func testMixedPrecisionLayersKeepTheirOwnWidth() throws {
    let (graph, batches) = try network()
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(
      graph, scheme: .gap8Pow2, ranges: ranges, options: QuantizationOptions(layerBits: ["dw": 8]))
    XCTAssertEqual(model.table["dw"]?.elementType, .int8)
    XCTAssertEqual(model.table["dw.weight"]?.elementType, .int8)
    XCTAssertEqual(model.table["r6"]?.elementType, .int8)
    XCTAssertEqual(model.table["c2"]?.elementType, .int16)
    XCTAssertEqual(model.table["c2.weight"]?.elementType, .int16)
    let float = try XCTUnwrap(graph.evaluate(inputs: batches[0])["sg"])
    let mixed = try XCTUnwrap(Pow2Executor(model).run(inputs: batches[0])["sg"])
    XCTAssertLessThan(maxError(float, mixed), 0.05)
    XCTAssertThrowsError(
      try SchemeQuantization.quantize(
        graph, scheme: .gap8Pow2, ranges: ranges, options: QuantizationOptions(layerBits: ["r6": 8]))
    ) { error in
      XCTAssertEqual(
        "\(error)",
        "The gap8-pow2 bit-width override names 'r6', which is not a conv or dense node of graph 'pow2-ops'.")
    }
    XCTAssertThrowsError(
      try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ranges, options: QuantizationOptions(bits: 12)))
  }

  /// Every conv of the test network (grouped, depthwise with stride, dilated with asymmetric
  /// padding, 1×1) on the integer GEMM path against a direct loop over output pixels, input
  /// channels and taps written here from §4.6, non-DP and DP, in int16 and with an int8 layer.
  func testIntegerConvolutionMatchesADirectLoop() throws {
    let (graph, batches) = try network()
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    for options in [QuantizationOptions(), QuantizationOptions(layerBits: ["dw": 8, "c3": 8])] {
      let model = try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ranges, options: options)
      for dp in [false, true] {
        let executor = try Pow2Executor(model, doublePrecision: dp)
        let codes = try executor.runCodes(inputs: Fixtures.input(for: graph, batch: 2, seed: 98))
        var checked = 0
        for node in model.graph.nodes where node.op == .conv {
          let x = try XCTUnwrap(codes[node.inputs[0]])
          let expected = try directConv(node, x, model, doublePrecision: dp)
          XCTAssertEqual(try executor.evaluate(node, inputs: [x]).scalars, expected, "\(node.name) DP \(dp)")
          checked += 1
        }
        XCTAssertEqual(checked, 5)
      }
    }
  }

  /// The relation to the fake-quant executor, node by node on the same (dequantized) inputs:
  /// DP convolutions, dense, add and concat within 1 LSB (conv and dense differ in under 1 % of
  /// elements, only within float error of a tie); moves, ReLUs, max pool and the sigmoid island
  /// exactly; leaky ReLU and average pools within 1 LSB plus their constant's error
  /// (409/4096 for 0.1, ⌊2¹⁶/d⌋/2¹⁶ for 1/d) times the value; non-DP convolutions within
  /// C/2 + 1 LSB for C input channels per group (one rounding per channel).
  func testIntegerAndFakeQuantExecutorsAgreeAsStated() throws {
    let (graph, batches) = try network()
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ranges)
    let feed = Fixtures.input(for: graph, batch: 2, seed: 99)
    let fq = FakeQuantExecutor(model)
    let exact: Set<OpKind> = [.maxPool, .upsample, .flatten, .relu, .relu6, .sigmoid]
    for dp in [true, false] {
      let executor = try Pow2Executor(model, doublePrecision: dp)
      let codes = try executor.runCodes(inputs: feed)
      var differing = 0, total = 0
      for node in model.graph.nodes {
        let inputs = try node.inputs.map { name -> Tensor<Float> in
          let q = try XCTUnwrap(model.table[name])
          return try XCTUnwrap(codes[name]).map { q.dequantize(Int($0)) }
        }
        let format = try XCTUnwrap(model.table[node.outputs[0]])
        let y = try fq.evaluate(node, inputs: inputs).scalars.map { format.quantize($0) }
        let integer = try XCTUnwrap(codes[node.outputs[0]]).scalars.map(Int.init)
        let worst = zip(y, integer).map { abs($0 - $1) }.max() ?? 0
        let largest = Double(integer.map { abs($0) }.max() ?? 0)
        var bound = 1
        switch node.op {
        case .conv where !dp:
          let channels = try XCTUnwrap(graph.shape(of: node.inputs[0]))[1] / node.int("groups")
          bound = channels / 2 + 1
        case .leakyRelu:
          // the leak constant is FP2FIX(0.1, 12) = 409: |x|·|0.1 − 409/4096| more
          bound = 1 + Int((largest * 10 * abs(0.1 - 409.0 / 4096)).rounded(.up))
        case .avgPool, .globalAvgPool:
          // ⌊2¹⁶/d⌋/2¹⁶ instead of 1/d, d = 3·3 or the whole plane
          let shape = try XCTUnwrap(graph.shape(of: node.inputs[0]))
          let d = node.op == .avgPool ? 9 : shape[2] * shape[3]
          bound = 1 + Int((largest * (1 - Double(65536 / d * d) / 65536)).rounded(.up))
        default: break
        }
        XCTAssertLessThanOrEqual(worst, bound, "\(node.name) DP \(dp)")
        if exact.contains(node.op) { XCTAssertEqual(worst, 0, node.name) }
        if node.op == .conv || node.op == .dense, dp || node.op == .dense {
          differing += zip(y, integer).filter { $0 != $1 }.count
          total += y.count
        }
      }
      if dp { XCTAssertLessThan(Double(differing), 0.01 * Double(total)) }
    }
  }

  /// int16 is near-lossless: a zoo network (mobilenet-tiny: depthwise separable blocks, global
  /// average pooling, dense logits) with random weights, BatchNorm folded, calibrated on its
  /// inputs, gives logits within 0.2 % of the float ones' largest magnitude (SQNR > 45 dB),
  /// non-DP and DP; int8 is clearly coarser. The diagnostics see every value above 40 dB.
  func testZooNetworkInt16IsCloseToFloat() throws {
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny")))
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(20 + $0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let float = try XCTUnwrap(graph.evaluate(inputs: batches[0])["logits"])
    let scale = Double(float.scalars.map { abs($0) }.max() ?? 1)
    var errors: [Double] = []
    for options in [QuantizationOptions(), QuantizationOptions(doublePrecision: true), QuantizationOptions(bits: 8)] {
      let model = try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ranges, options: options)
      let y = try XCTUnwrap(SchemeQuantization.executor(for: model).run(inputs: batches[0])["logits"])
      errors.append(maxError(float, y) / scale)
      if options.bits == nil { XCTAssertGreaterThan(sqnr(float, y), 45, "\(options)") }
    }
    XCTAssertLessThan(errors[0], 0.002)
    XCTAssertLessThan(errors[1], 0.002)
    XCTAssertGreaterThan(errors[2], errors[1])
    // the executor shows the diagnostics every value of the graph, each near-lossless in int16
    let model = try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ranges)
    let report = try QuantizationDiagnostics.measure(floatGraph: graph, model: model, batches: batches)
    XCTAssertEqual(report.scheme, .gap8Pow2)
    XCTAssertEqual(Set(report.tensors.map(\.tensor)), Set(graph.inputs.map(\.name) + graph.nodes.map { $0.outputs[0] }))
    for entry in report.tensors { XCTAssertGreaterThan(entry.sqnr ?? .infinity, 40, entry.tensor) }
  }

  /// A 64×64 tiny-yolo (full width, about 50 M MACs) runs in integers in reasonable time and tracks float.
  func testTinyYOLOAt64PixelsRunsQuickly() throws {
    let graph = try FoldBatchNorm.run(
      Fixtures.withValues(
        try ModelZoo.graph("tiny-yolo", options: BuildOptions(classes: 3, inputSize: [64, 64]))))
    let batch = Fixtures.input(for: graph, batch: 1, seed: 5)
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: [batch]), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .gap8Pow2, ranges: ranges)
    let start = Date()
    let y = try SchemeQuantization.executor(for: model).run(inputs: batch)
    XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    let x = try graph.evaluate(inputs: batch)
    for output in graph.outputs {
      XCTAssertGreaterThan(sqnr(try XCTUnwrap(x[output.name]), try XCTUnwrap(y[output.name])), 40, output.name)
    }
  }

  // MARK: - fixtures

  /// Out[n, o, i, j] by direct indexing: from the bias, each input channel's tap sum S_c
  /// (zero padding) is added as ⌊S_c/2^Norm + ½⌋ and the running value clipped to the layer's
  /// width (non-DP), or the whole sum rounded once (DP); Norm = Q_in + Q_w − Q_out.
  private func directConv(_ node: Node, _ x: Tensor<Int16>, _ model: QuantizedModel, doublePrecision: Bool) throws
    -> [Int16]
  {
    let wKey = "\(node.name).weight", bKey = "\(node.name).bias"
    let w: [Int]
    switch model.graph.parameters[wKey]?.data {
    case let .int16(t)?: w = t.scalars.map(Int.init)
    case let .int8(t)?: w = t.scalars.map(Int.init)
    default: throw XCTSkip("\(wKey) is not integer")
    }
    var bias = [Int](repeating: 0, count: node.int("outChannels"))
    switch model.graph.parameters[bKey]?.data {
    case let .int16(t)?: bias = t.scalars.map(Int.init)
    case let .int8(t)?: bias = t.scalars.map(Int.init)
    default: break
    }
    let inQ = try XCTUnwrap(model.table[node.inputs[0]]), wQ = try XCTUnwrap(model.table[wKey])
    let outQ = try XCTUnwrap(model.table[node.outputs[0]])
    let norm = try XCTUnwrap(inQ.fractionalBits) + XCTUnwrap(wQ.fractionalBits) - XCTUnwrap(outQ.fractionalBits)
    let limit = outQ.elementType == .int8 ? 128 : 32768
    func clip(_ v: Int) -> Int { min(max(v, -limit), limit - 1) }
    func round(_ v: Int) -> Int { Int((Double(v) / pow(2, Double(norm)) + 0.5).rounded(.down)) }
    let p = node.convParameters, k = node.ints("kernel")
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let o = node.int("outChannels"), cg = c / p.groups
    let (oh, ow) = p.outputSize(h: h, w: wd, kh: k[0], kw: k[1])
    var out: [Int16] = []
    for s in 0..<n {
      for oc in 0..<o {
        let g = oc / (o / p.groups)
        for i in 0..<oh {
          for j in 0..<ow {
            var value = bias[oc], total = 0
            for ci in 0..<cg {
              var partial = 0
              for ki in 0..<k[0] {
                for kj in 0..<k[1] {
                  let yy = i * p.strideH - p.padTop + ki * p.dilationH
                  let xx = j * p.strideW - p.padLeft + kj * p.dilationW
                  guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
                  let xv = Int(x.scalars[((s * c + g * cg + ci) * h + yy) * wd + xx])
                  partial += xv * w[((oc * cg + ci) * k[0] + ki) * k[1] + kj]
                }
              }
              total += partial
              if !doublePrecision { value = clip(value + round(partial)) }
            }
            if doublePrecision { value = clip(value + round(total)) }
            out.append(Int16(value))
          }
        }
      }
    }
    return out
  }

  private func oneByOne(weights: [Float], bias: [Float], pixels: Int = 4) throws -> ModelGraph {
    var b = GraphBuilder(name: "hand")
    let x = b.input("image", shape: pixels == 4 ? [1, 1, 2, 2] : [1, 1, 1, pixels])
    b.output(try b.add(.conv, "c", [x], ["outChannels": .int(weights.count), "kernel": .ints([1, 1])]))
    var graph = try b.finish()
    graph.parameters["c.weight"]?.value = Tensor(shape: [weights.count, 1, 1, 1], scalars: weights)
    graph.parameters["c.bias"]?.value = Tensor(shape: [bias.count], scalars: bias)
    return graph
  }

  /// A network using every op the pow2 executor implements, BatchNorm folded, three batches.
  private func network() throws -> (ModelGraph, [[String: Tensor<Float>]]) {
    try QuantizationNetworks.int8Ops(name: "pow2-ops", convolvedConcat: true)
  }
}

/// max |x − y|.
func maxError(_ x: Tensor<Float>, _ y: Tensor<Float>) -> Double {
  zip(x.scalars, y.scalars).map { Double(abs($0 - $1)) }.max() ?? 0
}

/// 10·log10(Σx² / Σ(x − y)²).
func sqnr(_ x: Tensor<Float>, _ y: Tensor<Float>) -> Double {
  let signal = x.scalars.map { Double($0) * Double($0) }.reduce(0, +)
  let noise = zip(x.scalars, y.scalars).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +)
  return 10 * log10(signal / max(noise, 1e-300))
}
