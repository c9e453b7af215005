/// A byte range of the V3 main buffer.
public struct KModelV3Range: Equatable, Sendable {
  public var start: Int, size: Int
  public init(start: Int, size: Int) { (self.start, self.size) = (start, size) }
}

/// A V3 shape `{width, height, channels}` (`kpu_model_shape_t`).
public struct KModelV3Shape: Equatable, Sendable, CustomStringConvertible {
  public var width: Int, height: Int, channels: Int
  public init(width: Int, height: Int, channels: Int) {
    (self.width, self.height, self.channels) = (width, height, channels)
  }
  /// Elements.
  public var count: Int { width * height * channels }
  public var description: String { "\(channels)×\(height)×\(width)" }
}

/// A 2-D pooling window on a V3 CPU layer: padding is before the first row and column only;
/// the output shape bounds the window on the other side (SDK `kpu_quantized_max_pool2d`).
public struct KModelV3Pool: Equatable, Sendable {
  public var input: Int, output: Int
  public var inShape: KModelV3Shape, outShape: KModelV3Shape
  public var kernelWidth: Int, kernelHeight: Int, strideWidth: Int, strideHeight: Int
  public var paddingWidth: Int, paddingHeight: Int

  public init(
    input: Int, output: Int, inShape: KModelV3Shape, outShape: KModelV3Shape, kernelWidth: Int, kernelHeight: Int,
    strideWidth: Int, strideHeight: Int, paddingWidth: Int, paddingHeight: Int
  ) {
    (self.input, self.output, self.inShape, self.outShape) = (input, output, inShape, outShape)
    (self.kernelWidth, self.kernelHeight, self.strideWidth, self.strideHeight) =
      (kernelWidth, kernelHeight, strideWidth, strideHeight)
    (self.paddingWidth, self.paddingHeight) = (paddingWidth, paddingHeight)
  }
}

/// A `K210_CONV` layer: the 12 register words and the weights, BN words and activation table
/// they point at. `mainMemoryOutput` is set when `KLF_MAIN_MEM_OUT` streams the output to main
/// memory as dense NCHW (the writer does not rely on a copy staying in KPU RAM at
/// `image_dst_addr`; the simulator writes both).
public struct KModelV3Conv: Equatable, Sendable {
  public var mainMemoryOutput: Int?
  public var argument: KPULayerArgument
  /// uint8 weights, OIHW ([C][F][F] for depthwise).
  public var weights: [UInt8]
  /// One BN word per output channel.
  public var batchNorm: [UInt64]
  /// The 144-byte activation table.
  public var activation: [UInt8]
  /// File offsets of the words, weights, BN and activation table (filled when read or written).
  public var offsets = Offsets()

  public struct Offsets: Equatable, Sendable {
    public var layer = 0, weights = 0, batchNorm = 0, activation = 0
    public init(layer: Int = 0, weights: Int = 0, batchNorm: Int = 0, activation: Int = 0) {
      (self.layer, self.weights, self.batchNorm, self.activation) = (layer, weights, batchNorm, activation)
    }
  }

  /// A layer from its words and tables (offsets are filled when the file is read).
  public init(
    mainMemoryOutput: Int?, argument: KPULayerArgument, weights: [UInt8], batchNorm: [UInt64], activation: [UInt8],
    offsets: Offsets = Offsets()
  ) {
    (self.mainMemoryOutput, self.argument, self.weights) = (mainMemoryOutput, argument, weights)
    (self.batchNorm, self.activation, self.offsets) = (batchNorm, activation, offsets)
  }
}

/// One V3 layer (`kpu_model_layer_type_t`; bodies as in the SDK's `kpu.h`, `k210.md` §4).
/// Addresses are byte offsets into the runtime's main buffer, except `kpuRow` (64-byte KPU rows).
/// The `float` layers read and write float32, the `quantized…`, `requantize` and `upload`
/// layers uint8.
public enum KModelV3Layer: Equatable, Sendable {
  case add(a: Int, b: Int, output: Int, count: Int)
  case globalAveragePool2D(input: Int, output: Int, kernelSize: Int, channels: Int)
  case quantizedMaxPool2D(KModelV3Pool)
  /// activation: 0 linear, 1 relu, 2 relu6.
  case averagePool2D(KModelV3Pool, activation: Int)
  case quantize(input: Int, output: Int, count: Int, scale: Float, bias: Float)
  case dequantize(input: Int, output: Int, count: Int, scale: Float, bias: Float)
  case requantize(input: Int, output: Int, count: Int, table: [UInt8])
  case l2Normalization(input: Int, output: Int, channels: Int)
  case softmax(input: Int, output: Int, channels: Int)
  case concat(output: Int, inputs: [KModelV3Range])
  case fullyConnected(
    input: Int, output: Int, inChannels: Int, outChannels: Int, activation: Int, weights: [Float], bias: [Float])
  case tensorflowFlatten(input: Int, output: Int, shape: KModelV3Shape)
  case resizeNearestNeighbor(
    input: Int, output: Int, inShape: KModelV3Shape, outWidth: Int, outHeight: Int, alignCorners: Int, quantized: Bool)
  case logistic(input: Int, output: Int, channels: Int)
  case conv(KModelV3Conv)
  case upload(input: Int, kpuRow: Int, width: Int, height: Int, channels: Int)

  /// The type id in the layer header.
  public var typeID: UInt32 {
    switch self {
    case .add: return 1
    case .globalAveragePool2D: return 5
    case .quantizedMaxPool2D: return 8
    case .averagePool2D: return 9
    case .quantize: return 11
    case .dequantize: return 12
    case .requantize: return 13
    case .l2Normalization: return 14
    case .softmax: return 15
    case .concat: return 16
    case .fullyConnected: return 18
    case .tensorflowFlatten: return 20
    case let .resizeNearestNeighbor(_, _, _, _, _, _, quantized): return quantized ? 23 : 22
    case .logistic: return 25
    case .conv: return 10240
    case .upload: return 10243
    }
  }

  /// The SDK's name of the type.
  public var typeName: String { Self.typeName(typeID) }

  /// The SDK's name of a type id.
  public static func typeName(_ id: UInt32) -> String {
    let names: [UInt32: String] = [
      0: "INVALID", 1: "ADD", 2: "QUANTIZED_ADD", 3: "GLOBAL_MAX_POOL2D", 4: "QUANTIZED_GLOBAL_MAX_POOL2D",
      5: "GLOBAL_AVERAGE_POOL2D", 6: "QUANTIZED_GLOBAL_AVERAGE_POOL2D", 7: "MAX_POOL2D", 8: "QUANTIZED_MAX_POOL2D",
      9: "AVERAGE_POOL2D", 10: "QUANTIZED_AVERAGE_POOL2D", 11: "QUANTIZE", 12: "DEQUANTIZE", 13: "REQUANTIZE",
      14: "L2_NORMALIZATION", 15: "SOFTMAX", 16: "CONCAT", 17: "QUANTIZED_CONCAT", 18: "FULLY_CONNECTED",
      19: "QUANTIZED_FULLY_CONNECTED", 20: "TENSORFLOW_FLATTEN", 21: "QUANTIZED_TENSORFLOW_FLATTEN",
      22: "RESIZE_NEAREST_NEIGHBOR", 23: "QUANTIZED_RESIZE_NEAREST_NEIGHBOR", 24: "CHANNELWISE_DEQUANTIZE",
      25: "LOGISTIC", 10240: "K210_CONV", 10241: "K210_ADD_PADDING", 10242: "K210_REMOVE_PADDING",
      10243: "K210_UPLOAD",
    ]
    return names[id] ?? "UNKNOWN(\(id))"
  }
}
