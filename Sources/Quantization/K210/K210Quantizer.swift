import Foundation
import Tensors

/// How nncase 1.9 fills a KPU convolution's quantization fields (`k210.md` §3,
/// modules/k210/src/transforms/k210/kpu_conv2d.cpp), from the float layer (BN folded into
/// weight and bias) and three calibrated ranges: the layer input, the conv output before the
/// activation, and the activation output.
///
/// - Input and output: uint8 asymmetric ``K210QuantParam``.
/// - Weights: per output channel, symmetric range [−r, r] (r ≥ 0.01), uint8 with zero point 128.
/// - ALU: argX = −128, argW = −z_in, shifts 0, argAdd = F²·128·z_in, padValue = z_in.
/// - s_act_in: starts at the pre-activation scale and halves while it stays ≥
///   max(s_in·max s_w / (2^bits − 1), max|b| / (2³¹ − 1)), bits = min(21, 36 − x_bits),
///   x_bits = 17 + ⌈log₂(g_ic + F²)⌉ (nncase's expression, a sum, as written there).
/// - BN: (mul, shift) = get_fixed_mul(s_in·s_w[o] / s_act_in, 22, 15, signed), add = lrint(b / s_act_in).
/// - Activation: 2048 samples of the activation over the pre-activation codes' range (clamped to
///   the activation's clamp range), 15 fitted segments after a segment 0 at −2³⁵ that outputs 0:
///   start = llrint(start / s_act_in), (mul, shift) = get_fixed_mul(slope·s_act_in/s_out, 16, 43,
///   signed), bias = clamp(lrint(intercept / s_out + z_out), 0, 255).
public enum K210Quantizer {
  /// The weights' zero point.
  public static let weightZeroPoint = 128

  /// The quantized layer and its input and output formats.
  public struct Result: Sendable {
    public var layer: K210ConvLayer
    public var input: K210QuantParam
    public var output: K210QuantParam
    /// Weight scale per output channel.
    public var weightScales: [Float]
    /// The BN output unit.
    public var actInScale: Double
  }

  /// Quantizes a layer. `weight` is [O, g_ic, F, F] (F = 1 or 3), `bias` [O].
  public static func quantize(
    weight: Tensor<Float>, bias: Tensor<Float>, depthwise: Bool, inputRange: ClosedRange<Float>,
    convOutputRange: ClosedRange<Float>, outputRange: ClosedRange<Float>, activation: K210Activation
  ) -> Result {
    let outChannels = weight.shape[0], gic = weight.shape[1], filter = weight.shape[2]
    precondition(filter == 1 || filter == 3, "K210Quantizer: the KPU supports 1×1 and 3×3 filters, got \(filter)")
    let inQ = K210QuantParam(range: inputRange)
    let yQ = K210QuantParam(range: convOutputRange)
    let zQ = K210QuantParam(range: outputRange)
    let per = weight.count / outChannels
    var codes = [UInt8](repeating: 0, count: weight.count)
    var wScales = [Float](repeating: 1, count: outChannels)
    for o in 0..<outChannels {
      let ch = weight.scalars[(o * per)..<((o + 1) * per)]
      let lo = ch.min() ?? 0, hi = ch.max() ?? 0
      let q = K210QuantParam(range: K210QuantParam.fixup(lo...hi, symmetric: true))
      wScales[o] = q.scale
      for i in 0..<per { codes[o * per + i] = q.quantize(weight.scalars[o * per + i]) }
    }
    let inChannels = depthwise ? outChannels : gic
    let (bn, sActIn) = batchNorm(
      bias: bias.scalars, inputScale: inQ.scale, weightScales: wScales, preActivationScale: Double(yQ.scale),
      groupInputChannels: depthwise ? 1 : inChannels, filter: filter)
    let table = activationTable(actInScale: Float(sActIn), preActivation: yQ, output: zQ, activation: activation)
    let z = Int64(inQ.zeroPoint), wz = Int64(weightZeroPoint)
    let layer = K210ConvLayer(
      inChannels: inChannels, outChannels: outChannels, filter: filter, depthwise: depthwise, weights: codes,
      argX: -wz, shiftX: 0, argW: -z, shiftW: 0, argAdd: Int64(filter * filter) * wz * z,
      padValue: UInt8(inQ.zeroPoint),
      batchNorm: bn, activation: table)
    return Result(layer: layer, input: inQ, output: zQ, weightScales: wScales, actInScale: sActIn)
  }

  /// The s_act_in search and the BN words (see the type's documentation).
  public static func batchNorm(
    bias: [Float], inputScale: Float, weightScales: [Float], preActivationScale: Double, groupInputChannels: Int,
    filter: Int
  ) -> (words: [K210ConvLayer.BatchNorm], actInScale: Double) {
    let xBits = 9 + 9 - 1 + Int(log2(Double(groupInputChannels + filter * filter)).rounded(.up))
    let maxSoBits = min(21, 36 - xBits)
    let maxSa = inputScale * (weightScales.max() ?? 0)
    let maxB = bias.map { abs($0) }.max() ?? 0
    let minActIn = max(Double(maxSa) / (Double.pow2(maxSoBits) - 1), Double(maxB) / (Double.pow2(31) - 1))
    var sActIn = preActivationScale
    while sActIn / 2 >= minActIn { sActIn /= 2 }
    let words = (0..<bias.count).map { o -> K210ConvLayer.BatchNorm in
      let sa = inputScale * weightScales[o]
      let so = Double(sa) / sActIn
      let m = K210FixedMul(Float(so), maxBits: 22, maxShift: 15, signed: true)
      return K210ConvLayer.BatchNorm(
        mul: m.roundedMultiplier, shift: m.shift, add: Int64((Double(bias[o]) / sActIn).rounded(.toNearestOrEven)))
    }
    return (words, sActIn)
  }

  /// The activation table (see the type's documentation).
  public static func activationTable(
    actInScale: Float, preActivation yQ: K210QuantParam, output zQ: K210QuantParam, activation: K210Activation
  ) -> K210ActivationTable {
    let clamp = activation.clamp
    let xMin = min(max(Float(0 - yQ.zeroPoint) * yQ.scale, clamp.lowerBound), clamp.upperBound)
    let xMax = min(max(Float(255 - yQ.zeroPoint) * yQ.scale, clamp.lowerBound), clamp.upperBound)
    let zqScale = actInScale / zQ.scale
    let start = K210ActivationTable.Segment(start: -(Int64(1) << 35), mul: 0, shift: 0, bias: 0)
    guard xMax > xMin else {
      // a degenerate sampling range (e.g. a ReLU6 clamp after a conv that is never positive): segments
      // 1–15 start with segment 0 and output the activation's value there for every y
      // (nncase would divide by a zero sampling step)
      let bias = (activation(xMin) / zQ.scale + Float(zQ.zeroPoint)).rounded(.toNearestOrEven)
      let constant = K210ActivationTable.Segment(
        start: start.start, mul: 0, shift: 0, bias: Int64(min(max(bias, 0), 255)))
      return K210ActivationTable(segments: [start] + [K210ActivationTable.Segment](repeating: constant, count: 15))
    }
    let samples = 2048
    let step = (xMax - xMin) / Float(samples - 1)
    let points = (0..<samples).map { i -> (x: Float, y: Float) in
      let x = xMin + Float(i) * step
      return (x, activation(x))
    }
    let fitted = K210PiecewiseRegression.fit(points, count: 15)
    var segments = [start]
    for seg in fitted {
      let m = K210FixedMul(seg.slope * zqScale, maxBits: 16, maxShift: 43, signed: true)
      let bias = (seg.intercept / zQ.scale + Float(zQ.zeroPoint)).rounded(.toNearestOrEven)
      segments.append(
        K210ActivationTable.Segment(
          start: Int64((seg.start / actInScale).rounded(.toNearestOrEven)), mul: m.roundedMultiplier, shift: m.shift,
          bias: Int64(min(max(bias, 0), 255))))
    }
    return K210ActivationTable(segments: segments)
  }
}
