import Geometry
import HDF5
import Images

/// One split (train, val or test) of a dataset file: images read on demand plus annotations.
public final class DatasetSplit {
  /// The split name.
  public let name: String
  /// Number of images.
  public let count: Int
  /// Image height, width and channels.
  public let height: Int, width: Int, channels: Int
  let file: DatasetFile
  let group: HDF5Group
  let images: HDF5Dataset

  init(file: DatasetFile, group: HDF5Group, name: String) throws {
    self.file = file
    self.group = group
    self.name = name
    guard group.contains("images") else { throw Self.malformed(file, name, "has no 'images' dataset") }
    images = try group.dataset("images")
    guard images.shape.count == 4, images.elementType == .uint8, (1...4).contains(images.shape[3]) else {
      throw Self.malformed(
        file, name, "'images' must be uint8 N×H×W×C with 1...4 channels, found \(images.elementType) \(images.shape)")
    }
    (count, height, width, channels) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
  }

  /// The image at `index`.
  public func image(at index: Int) throws -> Image {
    precondition((0..<count).contains(index), "DatasetSplit.image: index \(index) out of 0..<\(count)")
    let pixels = try images.read(offset: [index, 0, 0, 0], count: [1, height, width, channels], as: UInt8.self)
    return Image(width: width, height: height, channels: channels, pixels: pixels)
  }

  /// Reads image `index` into caller memory of `height * width * channels` bytes (no allocation).
  public func readImage(at index: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws {
    try images.read(offset: [index, 0, 0, 0], count: [1, height, width, channels], into: buffer)
  }

  /// Class labels (classification datasets).
  public func labels() throws -> [Int] {
    try numbers("labels", as: Int32.self, length: count).map(Int.init)
  }

  /// Boxes of each image (detection datasets).
  public func boxes() throws -> [[Box]] {
    let offsets = try numbers("box_offsets", as: Int64.self, length: count + 1).map(Int.init)
    let flat = try group.read("boxes", as: Float.self)
    guard flat.count % 5 == 0, offsets.first == 0, offsets.last == flat.count / 5,
      zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
    else {
      throw Self.malformed(file, name, "'box_offsets' does not index 'boxes'")
    }
    return (0..<count).map { image in
      (offsets[image]..<offsets[image + 1]).map { b in
        Box(
          classIndex: Int(flat[5 * b]), cx: flat[5 * b + 1], cy: flat[5 * b + 2], w: flat[5 * b + 3], h: flat[5 * b + 4]
        )
      }
    }
  }

  /// The identity index of each image (identity datasets).
  public func identities() throws -> [Int] {
    try numbers("identities", as: Int32.self, length: count).map(Int.init)
  }

  /// The names of the identities, indexed by identity (identity datasets).
  public func identityNames() throws -> [String] {
    guard group.contains("names") else { throw Self.malformed(file, name, "has no 'names' dataset") }
    return try group.dataset("names").readStrings()
  }

  /// The verification pairs stored with the split (empty if none).
  public func pairs() throws -> [VerificationPair] {
    guard group.contains("pairs") else { return [] }
    let flat = try group.read("pairs", as: Int32.self).map(Int.init)
    return stride(from: 0, to: flat.count - 3, by: 4).map {
      VerificationPair(first: flat[$0], second: flat[$0 + 1], isMatch: flat[$0 + 2] != 0, fold: flat[$0 + 3])
    }
  }

  private func numbers<T: HDF5Scalar>(_ dataset: String, as type: T.Type, length: Int) throws -> [T] {
    guard group.contains(dataset) else { throw Self.malformed(file, name, "has no '\(dataset)' dataset") }
    let values = try group.read(dataset, as: T.self)
    guard values.count == length else {
      throw Self.malformed(file, name, "'\(dataset)' has \(values.count) values, expected \(length)")
    }
    return values
  }

  private static func malformed(_ file: DatasetFile, _ split: String, _ reason: String) -> DatasetError {
    .invalidFile(file: file.path, reason: "split '\(split)' \(reason)")
  }
}
