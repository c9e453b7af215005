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
  /// uint8 strided slice from 0 with steps [1, 1, stride, stride].
  case slice(V5Ref, V5Ref, inShape: [Int], stride: Int)
  /// float32 REDUCE mean over height and width (global average pooling), dimensions kept.
  case reduceMean(V5Ref, V5Ref, inShape: [Int])
  /// float32 MATMUL [1, k] × [k, n] + bias, the [k, n] weights and the bias in the stackvm
  /// `.rdata` at `weights` and `bias`.
  case matmul(V5Ref, V5Ref, k: Int, n: Int, weights: Int, bias: Int)

  /// The data-pool buffers it touches.
  var buffers: [Int] {
    switch self {
    case let .quantize(a, b, _, _, _), let .dequantize(a, b, _, _, _), let .lut(a, b, _, _),
      let .call(_, a, _, b, _), let .resize(a, b, _, _, _), let .maxPool(a, b, _, _, _, _), let .copy(a, b, _, _),
      let .slice(a, b, _, _), let .reduceMean(a, b, _), let .matmul(a, b, _, _, _, _):
      return [a.buffer, b.buffer].compactMap { $0 }
    }
  }
}
