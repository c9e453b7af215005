import Foundation
import Geometry
import HDF5
import Images
import Support

/// Writes a format-v1 dataset file (see `Data/README.md`) image by image, atomically.
///
/// ```swift
/// let writer = try DatasetWriter(path: "shapes.h5", kind: .detection, classNames: ["circle"],
///                                source: "generated", imageSize: (64, 64, 3))
/// try writer.beginSplit("train", count: 100)
/// for _ in 0..<100 { try writer.append(image, boxes: boxes) }
/// try writer.endSplit()
/// let hash = try writer.finish()
/// ```
/// Everything goes to a temporary file beside `path`, renamed into place by ``finish()``; a
/// writer released without finishing (or after an error) removes it, so no half-written dataset
/// is ever visible. Images are stored one chunk per image, so the loader reads single images.
public final class DatasetWriter {
  /// Where the dataset will appear.
  public let path: String
  public let kind: DatasetKind
  public let classNames: [String]
  public let source: String
  /// Height, width and channels of every image.
  public let imageHeight: Int, imageWidth: Int, channels: Int
  private let temporaryPath: String
  private var file: HDF5File?
  private var hash = ContentHash()
  private var current: SplitState?
  private var writtenSplits: [String] = []
  private let compression: Int?

  /// Opens a new dataset for writing.
  /// - Parameters:
  ///   - imageSize: height, width, channels of every image.
  ///   - compression: gzip level for images, or `nil` (default) for the fastest loading.
  public init(
    path: String, kind: DatasetKind, classNames: [String], source: String,
    imageSize: (height: Int, width: Int, channels: Int), compression: Int? = nil
  ) throws {
    guard imageSize.height > 0, imageSize.width > 0, (1...4).contains(imageSize.channels) else {
      throw DatasetError.invalidArgument(
        "Image size \(imageSize) is not valid: need positive height and width and 1...4 channels.")
    }
    self.path = path
    self.kind = kind
    self.classNames = classNames
    self.source = source
    (imageHeight, imageWidth, channels) = imageSize
    self.compression = compression
    temporaryPath = AtomicFile.temporaryPath(for: path)
    // libhdf5 only says "unable to create file", and names the temporary file: say why here.
    if let reason = FileSystem.reasonCannotCreateFile(in: URL(fileURLWithPath: path).deletingLastPathComponent().path) {
      throw FileSystemError(.create, "the dataset file", path: path, reason: reason)
    }
    file = try HDF5File.create(at: temporaryPath)
  }

  deinit { cancel() }

  /// Starts the split `name` (train, val or test) that will hold exactly `count` images.
  public func beginSplit(_ name: String, count: Int) throws {
    guard let file, current == nil else {
      throw DatasetError.invalidArgument("beginSplit(\(name)): the previous split is not finished.")
    }
    guard SplitName.all.contains(name), !writtenSplits.contains(name) else {
      throw DatasetError.invalidArgument("Split '\(name)' is not one of train, val, test or was already written.")
    }
    let group = try file.root.createGroup(name)
    let shape = [count, imageHeight, imageWidth, channels]
    let images = try group.createDataset(
      "images", of: UInt8.self, shape: shape,
      options: HDF5DatasetOptions(chunks: [1, imageHeight, imageWidth, channels], gzipLevel: compression))
    current = SplitState(name: name, group: group, images: images, count: count)
  }

  /// Appends an image with its class label (classification datasets).
  public func append(_ image: Image, label: Int) throws {
    guard label >= 0, label < classNames.count else {
      throw DatasetError.labelOutOfRange(file: path, line: nil, label: label, classCount: classNames.count)
    }
    try appendImage(image, expecting: .classification).labels.append(Int32(label))
  }

  /// Appends an image with its boxes (detection datasets); an empty list is a background image.
  public func append(_ image: Image, boxes: [Box]) throws {
    for box in boxes {
      guard box.classIndex >= 0, box.classIndex < classNames.count else {
        throw DatasetError.labelOutOfRange(file: path, line: nil, label: box.classIndex, classCount: classNames.count)
      }
      guard box.isInsideImage else { throw DatasetError.boxOutsideImage(file: path, line: nil, box: "\(box)") }
    }
    let state = try appendImage(image, expecting: .detection)
    for box in boxes { state.boxes += [Float(box.classIndex), box.cx, box.cy, box.w, box.h] }
    state.boxOffsets.append(Int64(state.boxes.count / 5))
  }

  /// Appends an image with its identity index (identity datasets).
  public func append(_ image: Image, identity: Int) throws {
    guard identity >= 0 else { throw DatasetError.invalidArgument("Identity index \(identity) is negative.") }
    try appendImage(image, expecting: .identity).identities.append(Int32(identity))
  }

  /// Finishes the current split, writing its annotations.
  /// - Parameters:
  ///   - identityNames: for identity datasets, the name of each identity index used.
  ///   - pairs: verification pairs (indices into this split), stored as `pairs`.
  public func endSplit(identityNames: [String] = [], pairs: [VerificationPair] = []) throws {
    guard let state = current else { throw DatasetError.invalidArgument("endSplit: no split was begun.") }
    guard state.written == state.count else {
      throw DatasetError.invalidArgument("Split '\(state.name)' expected \(state.count) images, got \(state.written).")
    }
    hash.add(
      split: state.name, name: "images", dtype: "uint8",
      shape: [state.count, imageHeight, imageWidth, channels], digest: state.imageHasher.hexDigest)
    switch kind {
    case .classification:
      try writeNumbers(state.labels, shape: [state.count], name: "labels", in: state)
    case .detection:
      try writeNumbers(state.boxes, shape: [state.boxes.count / 5, 5], name: "boxes", in: state)
      try writeNumbers(state.boxOffsets, shape: [state.boxOffsets.count], name: "box_offsets", in: state)
    case .identity:
      if let bad = state.identities.first(where: { Int($0) >= identityNames.count }) {
        throw DatasetError.invalidArgument(
          "Split '\(state.name)' uses identity \(bad) but names only \(identityNames.count) identities.")
      }
      try writeNumbers(state.identities, shape: [state.count], name: "identities", in: state)
      try state.group.writeStrings(identityNames, to: "names")
      hash.add(
        split: state.name, name: "names", dtype: "string", shape: [identityNames.count],
        digest: ContentHash.digest(identityNames))
    }
    if !pairs.isEmpty {
      guard pairs.allSatisfy({ (0..<state.count).contains($0.first) && (0..<state.count).contains($0.second) }) else {
        throw DatasetError.invalidArgument("Split '\(state.name)' has a verification pair outside 0..<\(state.count).")
      }
      let values: [Int32] = pairs.flatMap { pair -> [Int32] in
        [Int32(pair.first), Int32(pair.second), pair.isMatch ? 1 : 0, Int32(pair.fold)]
      }
      try writeNumbers(values, shape: [pairs.count, 4], name: "pairs", in: state)
    }
    try state.group.setAttribute("count", .int(Int64(state.count)))
    writtenSplits.append(state.name)
    current = nil
  }

  /// Writes the root attributes, closes the file and renames it into place.
  /// - Returns: the `content_hash`.
  @discardableResult
  public func finish() throws -> String {
    guard let file else { throw DatasetError.invalidArgument("finish: the writer is already closed.") }
    guard current == nil else {
      throw DatasetError.invalidArgument("finish: split '\(current?.name ?? "")' is not finished.")
    }
    guard !writtenSplits.isEmpty else { throw DatasetError.invalidArgument("finish: the dataset has no splits.") }
    let contentHash = hash.value(kind: kind, classNames: classNames)
    do {
      try file.root.setAttribute("schema_version", .int(1))
      try file.root.setAttribute("kind", .string(kind.rawValue))
      try file.root.setAttribute("class_names", .strings(classNames))
      try file.root.setAttribute("source", .string(source))
      try file.root.setAttribute("content_hash", .string(contentHash))
      try file.root.setAttribute("image_size", .ints([imageHeight, imageWidth, channels].map(Int64.init)))
      try file.close()
      self.file = nil
      guard rename(temporaryPath, path) == 0 else {
        throw FileSystemError(.write, "the dataset file", path: path, errno: errno)
      }
    } catch {
      cancel()
      throw error
    }
    return contentHash
  }

  /// Abandons the dataset: closes and deletes the temporary file. Idempotent.
  public func cancel() {
    if let file {
      try? file.close()
      self.file = nil
      try? FileManager.default.removeItem(atPath: temporaryPath)
    }
  }

  private func appendImage(_ image: Image, expecting expected: DatasetKind) throws -> SplitState {
    guard kind == expected else {
      throw DatasetError.invalidArgument(
        "This is a \(kind.rawValue) dataset; it cannot take \(expected.rawValue) annotations.")
    }
    guard let state = current else { throw DatasetError.invalidArgument("append: call beginSplit first.") }
    guard state.written < state.count else {
      throw DatasetError.invalidArgument("Split '\(state.name)' already holds its \(state.count) images.")
    }
    guard image.width == imageWidth, image.height == imageHeight, image.channels == channels else {
      throw DatasetError.invalidArgument(
        "Image \(state.written) of split '\(state.name)' is \(image.width)x\(image.height)x\(image.channels), "
          + "expected \(imageWidth)x\(imageHeight)x\(channels); resize it first.")
    }
    try state.images.write(
      image.pixels, offset: [state.written, 0, 0, 0], count: [1, imageHeight, imageWidth, channels])
    state.imageHasher.update(image.pixels)
    state.written += 1
    return state
  }

  private func writeNumbers<T: HDF5Scalar & FixedWidthInteger>(
    _ values: [T], shape: [Int], name: String, in state: SplitState
  ) throws {
    try state.group.write(values, shape: shape, to: name)
    hash.add(
      split: state.name, name: name, dtype: "\(T.hdf5ElementType)", shape: shape, digest: ContentHash.digest(values))
  }

  private func writeNumbers(_ values: [Float], shape: [Int], name: String, in state: SplitState) throws {
    try state.group.write(values, shape: shape, to: name)
    hash.add(split: state.name, name: name, dtype: "float32", shape: shape, digest: ContentHash.digest(values))
  }

  /// The split being written.
  private final class SplitState {
    let name: String
    let group: HDF5Group
    let images: HDF5Dataset
    let count: Int
    var written = 0
    var imageHasher = SHA256()
    var labels: [Int32] = []
    var boxes: [Float] = []
    var boxOffsets: [Int64] = [0]
    var identities: [Int32] = []

    init(name: String, group: HDF5Group, images: HDF5Dataset, count: Int) {
      self.name = name
      self.group = group
      self.images = images
      self.count = count
    }
  }
}
