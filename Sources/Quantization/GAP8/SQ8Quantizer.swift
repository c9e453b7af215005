import Graph
import Tensors

/// The `gap8-sq8` scheme: GreenWaves NNTool's scaled int8 (`gap8.md` §4.2), which AutoTiler's
/// SQ8 kernels compute.
///
/// - Activations: int8, symmetric, per tensor: s = max(hi/127, −lo/128) over the calibrated
///   range (widened to contain 0), zero point 0 (NNTool `from_min_max_sq`).
/// - Conv and dense weights: int8, symmetric, narrow range ±127, per output channel by default
///   (`quantized_dimension = channel`; per tensor with `perChannel` false): s_w = max|W|/127.
/// - Biases: int32, s_b = s_in · s_w.
/// - Requantization per output channel: acc (int32) ↦ clip8(`AT_SCALE(acc, Scale, ScaleN)`)
///   with the uint8 ``SQ8Multiplier`` of s_in·s_w/s_out, limited to
///   31 − max(⌈log2 K⌉ + 7 + 7, bias bits) bits (K = NNTool's `filter_dim.sz` = in_c·kh·kw, the
///   products summed into one accumulator, C/groups·kh·kw), then the fused activation.
/// - A ReLU or ReLU6 that alone reads a conv/dense output is fused (NNTool's `conv_active`):
///   the layer requantizes into the activation's format and clamps at 0 (and ⌊6/s + ½⌋).
/// - Max/average/global pools, upsample, flatten, reshape, dropout, identity and unfused ReLUs
///   keep their input's format; add, concat and leaky ReLU have their own calibrated format and
///   rescale each input with its own ``SQ8Multiplier``; sigmoid, tanh, L2-normalize and unfolded
///   BatchNorm are float islands.
///
/// The graph walk is the `int8` scheme's (``Int8Quantizer``) with the symmetric activation
/// format.
public enum SQ8Quantizer {
  /// Quantizes a float graph (BatchNorm folded) from the calibrated ranges of its values.
  /// - Throws: ``QuantizationError`` when a parameter has no float value or a value has no range.
  public static func quantize(
    _ graph: ModelGraph, ranges: [String: ClosedRange<Float>], perChannel: Bool = true
  ) throws -> QuantizedModel {
    try Int8Quantizer.quantize(graph, ranges: ranges, perChannel: perChannel, scheme: .gap8Sq8, activation: activation)
  }

  /// The symmetric int8 format of a range: s = max(hi/127, −lo/128) (at least 1e−6/255).
  public static func activation(_ range: ClosedRange<Float>) -> TensorQuantization {
    let lo = Double(min(range.lowerBound, 0)), hi = Double(max(range.upperBound, 0))
    let scale = max(hi / 127, -lo / 128, 1e-6 / 255)
    return TensorQuantization(scale: scale, zeroPoint: 0, elementType: .int8)
  }

  /// The bits a layer's multiplier may use: 31 − max(⌈log2 K⌉ + 14, ⌈log2 max|bias|⌉)
  /// (NNTool `filter_mult.py`; K = products per accumulator), at least 0.
  static func availableBits(products: Int, bias: [Int64]) -> Int {
    let accumulator = GAP8Arithmetic.integerBits(Double(max(products, 1))) + 14
    let biasMax = bias.map { abs($0) }.max() ?? 0
    let biasBits = biasMax > 0 ? GAP8Arithmetic.integerBits(Double(biasMax)) : 0
    return max(0, 31 - max(accumulator, biasBits))
  }
}
