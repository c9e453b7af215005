/// A place the V5 entry function reads or writes: a fixed location (0 input, 1 output, 2 rdata)
/// at `offset`, or a planned buffer of the stackvm data pool (`buffer`, placed later) plus `offset`.
struct V5Ref {
  var location: UInt8
  var buffer: Int?
  var offset = 0

  static func data(_ buffer: Int, _ offset: Int = 0) -> V5Ref { V5Ref(location: 3, buffer: buffer, offset: offset) }
}

/// One tensor function of the V5 entry function before buffers are placed; each becomes
/// stackvm code with nncase 1.9's stack protocol (``StackVMWriter``).
enum V5Step {
  /// float32 → uint8: `lrintf(x · inverseScale + zeroPoint)`, clamped.
  case quantize(V5Ref, V5Ref, shape: [Int], inverseScale: Float, zeroPoint: Float)
  /// uint8 → float32: `q · scale + bias`.
  case dequantize(V5Ref, V5Ref, shape: [Int], scale: Float, bias: Float)
  /// uint8 → uint8 through a 256-entry table in the stackvm `.rdata` at `table`.
  case lut(V5Ref, V5Ref, shape: [Int], table: Int)
  /// k210 function `function` on a dense uint8 input, writing a dense uint8 output.
  case call(function: Int, V5Ref, inShape: [Int], V5Ref, outShape: [Int])
  /// Nearest-neighbour resize of uint8 codes to outHeight × outWidth.
  case resize(V5Ref, V5Ref, inShape: [Int], outHeight: Int, outWidth: Int)
  /// float32 max pooling (padding [top, left, bottom, right]).
  case maxPool(V5Ref, V5Ref, inShape: [Int], kernel: [Int], stride: [Int], padding: [Int])
  /// A dense copy of `shape` elements of `datatype` (4 uint8); concat writes parts at offsets.
  case copy(V5Ref, V5Ref, shape: [Int], datatype: UInt8)
  /// uint8 slice of `outShape` from (begin, begin) of the height and width with steps
  /// [1, 1, step, step] (a depthwise or small stride-2 layer, a valid-padded layer, a padded map's
  /// corner).
  case slice(V5Ref, V5Ref, inShape: [Int], begin: Int, step: Int, outShape: [Int])
  /// uint8 PAD of a map on the bottom and right to `outShape` with the constant `value`.
  case pad(V5Ref, V5Ref, inShape: [Int], outShape: [Int], value: UInt8)
  /// float32 REDUCE (`op` 0 mean, 3 sum) over `axes`, dimensions kept.
  case reduce(V5Ref, V5Ref, inShape: [Int], axes: [Int], op: UInt8)
  /// float32 UNARY (`op`: 13 sqrt, 14 square, nncase's `unary_op_t`).
  case unary(V5Ref, V5Ref, shape: [Int], op: UInt8)
  /// float32 BINARY `a op b` of shape `aShape`, `b` broadcast from `bShape` (same rank; `op`:
  /// 3 div, 5 max, nncase's `binary_op_t`).
  case binary(V5Ref, V5Ref, V5Ref, aShape: [Int], bShape: [Int], op: UInt8)
  /// float32 MATMUL [1, k] × [k, n] + bias, the [k, n] weights and the bias in the stackvm
  /// `.rdata` at `weights` and `bias`.
  case matmul(V5Ref, V5Ref, k: Int, n: Int, weights: Int, bias: Int)

  /// The data-pool buffers it touches.
  var buffers: [Int] {
    switch self {
    case let .quantize(a, b, _, _, _), let .dequantize(a, b, _, _, _), let .lut(a, b, _, _),
      let .call(_, a, _, b, _), let .resize(a, b, _, _, _), let .maxPool(a, b, _, _, _, _), let .copy(a, b, _, _),
      let .slice(a, b, _, _, _, _), let .pad(a, b, _, _, _), let .reduce(a, b, _, _, _), let .unary(a, b, _, _),
      let .matmul(a, b, _, _, _, _):
      return [a.buffer, b.buffer].compactMap { $0 }
    case let .binary(a, b, c, _, _, _):
      return [a.buffer, b.buffer, c.buffer].compactMap { $0 }
    }
  }
}
