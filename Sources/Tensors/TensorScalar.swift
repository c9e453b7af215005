/// Element types a ``Tensor`` can hold: `Float` for training and evaluation, and the integer
/// types that quantized inference needs (K210 uses `UInt8`, GAP8 uses `Int8`/`Int16`, and both
/// accumulate in `Int32`).
public protocol TensorScalar: Numeric, Comparable, Codable, Sendable, Hashable {
  /// The element type's short name, used in messages and file formats (`"float32"`, `"uint8"`…).
  static var dtypeName: String { get }
}

extension Float: TensorScalar { public static var dtypeName: String { "float32" } }
extension Double: TensorScalar { public static var dtypeName: String { "float64" } }
extension UInt8: TensorScalar { public static var dtypeName: String { "uint8" } }
extension Int8: TensorScalar { public static var dtypeName: String { "int8" } }
extension Int16: TensorScalar { public static var dtypeName: String { "int16" } }
extension Int32: TensorScalar { public static var dtypeName: String { "int32" } }
