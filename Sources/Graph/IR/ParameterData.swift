import Tensors

/// The values of a ``Parameter``, one case per ``Parameter/ElementType``: float tensors for
/// float models, integer tensors for quantized ones (values are stored as they are, the
/// quantization scales live beside the graph).
public enum ParameterData: Equatable, Sendable {
  case float32(Tensor<Float>)
  case int8(Tensor<Int8>)
  case uint8(Tensor<UInt8>)
  case int16(Tensor<Int16>)
  case int32(Tensor<Int32>)

  /// The element type of the values.
  public var elementType: Parameter.ElementType {
    switch self {
    case .float32: return .float32
    case .int8: return .int8
    case .uint8: return .uint8
    case .int16: return .int16
    case .int32: return .int32
    }
  }

  /// The shape of the values.
  public var shape: [Int] {
    switch self {
    case let .float32(t): return t.shape
    case let .int8(t): return t.shape
    case let .uint8(t): return t.shape
    case let .int16(t): return t.shape
    case let .int32(t): return t.shape
    }
  }

  /// Encodes the tensor of whichever type under `key` (as `Tensor`'s own `Codable` form).
  func encode<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
    switch self {
    case let .float32(t): try container.encode(t, forKey: key)
    case let .int8(t): try container.encode(t, forKey: key)
    case let .uint8(t): try container.encode(t, forKey: key)
    case let .int16(t): try container.encode(t, forKey: key)
    case let .int32(t): try container.encode(t, forKey: key)
    }
  }

  /// Decodes a tensor of `type` under `key`, or `nil` when the key is absent.
  static func decode<Key: CodingKey>(
    _ type: Parameter.ElementType, from container: KeyedDecodingContainer<Key>, forKey key: Key
  ) throws -> ParameterData? {
    switch type {
    case .float32: return try container.decodeIfPresent(Tensor<Float>.self, forKey: key).map(ParameterData.float32)
    case .int8: return try container.decodeIfPresent(Tensor<Int8>.self, forKey: key).map(ParameterData.int8)
    case .uint8: return try container.decodeIfPresent(Tensor<UInt8>.self, forKey: key).map(ParameterData.uint8)
    case .int16: return try container.decodeIfPresent(Tensor<Int16>.self, forKey: key).map(ParameterData.int16)
    case .int32: return try container.decodeIfPresent(Tensor<Int32>.self, forKey: key).map(ParameterData.int32)
    }
  }
}
