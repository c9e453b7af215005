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
    self.float32LE = tensor.scalars.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
      .base64EncodedString()
  }

  /// Decodes the tensor.
  /// - Throws: ``TrainingError/checkpoint(_:)`` when the payload does not match the shape.
  public func tensor() throws -> Tensor<Float> {
    guard let data = Data(base64Encoded: float32LE), data.count == shape.product * 4 else {
      throw TrainingError.checkpoint(
        "tensor '\(name)' has a payload that does not hold \(shape.product) float32 values for shape \(shape)")
    }
    let scalars = data.withUnsafeBytes { raw in
      (0..<shape.product).map {
        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
      }
    }
    return Tensor(shape: shape, scalars: scalars)
  }
}
