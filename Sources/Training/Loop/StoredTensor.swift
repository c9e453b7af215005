import Foundation
import Tensors

/// A named Float tensor as stored in a checkpoint: the shape and the IEEE-754 float32 bits in
/// little-endian order, base64-encoded, so values round-trip bit-exactly (decimal text does
/// not guarantee that) and NaN payloads cannot break the JSON.
public struct StoredTensor: Codable, Equatable, Sendable {
  /// The tensor's name (parameter, buffer or optimizer-state key).
  public var name: String
  /// The shape.
  public var shape: [Int]
  /// Base64 of the little-endian float32 scalars.
  public var float32LE: String

  /// Encodes a tensor.
  public init(name: String, _ tensor: Tensor<Float>) {
    self.name = name
    self.shape = tensor.shape
    var bytes = [UInt8]()
    bytes.reserveCapacity(tensor.count * 4)
    for x in tensor.scalars {
      let b = x.bitPattern.littleEndian
      bytes += [UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8),
                UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24)]
    }
    self.float32LE = Data(bytes).base64EncodedString()
  }

  /// Decodes the tensor.
  /// - Throws: ``TrainingError/checkpoint(_:)`` when the payload does not match the shape.
  public func tensor() throws -> Tensor<Float> {
    guard let data = Data(base64Encoded: float32LE), data.count == shape.product * 4 else {
      throw TrainingError.checkpoint("tensor '\(name)' has a payload that does not hold \(shape.product) float32 values for shape \(shape)")
    }
    let bytes = [UInt8](data)
    let scalars = (0..<shape.product).map { i -> Float in
      let b = UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24
      return Float(bitPattern: b)
    }
    return Tensor(shape: shape, scalars: scalars)
  }
}
