import Foundation
import Tensors

/// A constant tensor met while importing (an initializer, a `Constant` node or a folded
/// shape computation): its shape and values, held as `Double` so that int64 shape arithmetic and
/// float32 weights share one representation (both convert exactly).
struct ConstantTensor: Equatable {
  /// The tensor's shape (empty for a scalar).
  var shape: [Int]
  /// The values in row-major order.
  var values: [Double]
  /// Whether the ONNX element type is an integer or Boolean type (int64 shapes, indices).
  var isInteger: Bool

  init(shape: [Int], values: [Double], isInteger: Bool) {
    self.shape = shape
    self.values = values
    self.isInteger = isInteger
  }

  /// A 1-D int64 tensor.
  init(ints: [Int]) { self.init(shape: [ints.count], values: ints.map(Double.init), isInteger: true) }

  /// The values as integers (truncated toward zero, as ONNX's Cast does; values beyond ±2⁵³
  /// and non-finite ones, which no shape or index can hold, are clamped rather than trapping).
  var ints: [Int] { values.map(Self.int) }

  static func int(_ v: Double) -> Int {
    guard v.isFinite else { return v > 0 ? 1 << 53 : -(1 << 53) }
    return Int(min(max(v, -9.0e15), 9.0e15))
  }

  /// The element count of `shape`, or nil when it overflows or has a negative extent.
  static func safeCount(_ shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
      guard d >= 0 else { return nil }
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      guard !overflow, p <= 1 << 40 else { return nil }
      n = p
    }
    return n
  }

  /// The values as a float32 tensor of the same shape.
  var floatTensor: Tensor<Float> { Tensor(shape: shape, scalars: values.map { Float($0) }) }

  /// Number of elements.
  var count: Int { shape.reduce(1, *) }
}

/// Conversions between ONNX `TensorProto`s and Workbench tensors.
enum TensorProtoCoding {
  typealias DataType = Onnx_TensorProto.DataType

  /// A float32 initializer called `name` holding `tensor`, its values as little-endian raw data.
  static func proto(name: String, float tensor: Tensor<Float>) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dataType = Int32(DataType.float.rawValue)
    t.dims = tensor.shape.map(Int64.init)
    t.rawData = tensor.scalars.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
    return t
  }

  /// An int64 initializer called `name` (shapes, axes).
  static func proto(name: String, int64 values: [Int], shape: [Int]? = nil) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dataType = Int32(DataType.int64.rawValue)
    t.dims = (shape ?? [values.count]).map(Int64.init)
    t.int64Data = values.map(Int64.init)
    return t
  }

  /// An initializer of an integer element type (int8, uint8, int32) for quantized models.
  static func proto(name: String, type: DataType, values: [Int], shape: [Int]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dataType = Int32(type.rawValue)
    t.dims = shape.map(Int64.init)
    t.int32Data = values.map { Int32(truncatingIfNeeded: $0) }
    return t
  }

  /// The constant a `TensorProto` holds.
  /// - Throws: ``ONNXImportError/malformed(_:)`` for external data, unsupported element types
  ///   and value counts that do not match the dimensions.
  static func constant(_ t: Onnx_TensorProto, what: String) throws -> ConstantTensor {
    guard t.dataLocation != .external, t.externalData.isEmpty else {
      throw ONNXImportError.malformed(
        "\(what) '\(t.name)' keeps its values in an external file, which this importer does not read (save the model with all tensors inside)"
      )
    }
    guard t.dims.allSatisfy({ $0 >= 0 }) else {
      throw ONNXImportError.malformed("\(what) '\(t.name)' has a negative dimension \(t.dims)")
    }
    let shape = t.dims.map { Int($0) }
    guard let count = ConstantTensor.safeCount(shape) else {
      throw ONNXImportError.malformed("\(what) '\(t.name)' has dimensions \(t.dims), too large for any tensor")
    }
    guard let type = DataType(rawValue: Int(t.dataType)) else {
      throw ONNXImportError.malformed("\(what) '\(t.name)' has unknown element type \(t.dataType)")
    }
    let values: [Double]
    let raw = t.rawData
    switch type {
    case .float:
      values =
        raw.isEmpty
        ? t.floatData.map(Double.init)
        : try decode(raw, UInt32.self, count, t, what).map {
          Double(Float(bitPattern: $0))
        }
    case .double:
      values = raw.isEmpty ? t.doubleData : try decode(raw, UInt64.self, count, t, what).map { Double(bitPattern: $0) }
    case .int64:
      values = raw.isEmpty ? t.int64Data.map(Double.init) : try decode(raw, Int64.self, count, t, what).map(Double.init)
    case .int32:
      values = raw.isEmpty ? t.int32Data.map(Double.init) : try decode(raw, Int32.self, count, t, what).map(Double.init)
    case .int8:
      values = raw.isEmpty ? t.int32Data.map(Double.init) : raw.map { Double(Int8(bitPattern: $0)) }
    case .uint8, .bool:
      values = raw.isEmpty ? t.int32Data.map(Double.init) : raw.map { Double($0) }
    default:
      throw ONNXImportError.malformed(
        "\(what) '\(t.name)' has element type \(type), which this importer does not read (float, double, int64, int32, int8, uint8, bool)"
      )
    }
    guard values.count == count else {
      throw ONNXImportError.malformed(
        "\(what) '\(t.name)' has \(values.count) values for dimensions \(shape) (\(count) expected); the file may be truncated"
      )
    }
    let isInteger = type != .float && type != .double
    return ConstantTensor(shape: shape, values: values, isInteger: isInteger)
  }

  /// Little-endian fixed-width values from raw bytes, checking the byte count.
  private static func decode<T: FixedWidthInteger>(
    _ raw: Data, _: T.Type, _ count: Int, _ t: Onnx_TensorProto, _ what: String
  ) throws -> [T] {
    let size = MemoryLayout<T>.size
    guard raw.count == count * size else {
      throw ONNXImportError.malformed(
        "\(what) '\(t.name)' has \(raw.count) bytes of raw data for dimensions \(t.dims) (\(count * size) expected); the file may be truncated"
      )
    }
    var out = [T](repeating: 0, count: count)
    _ = out.withUnsafeMutableBytes { raw.copyBytes(to: $0) }
    return out.map { T(littleEndian: $0) }
  }
}
