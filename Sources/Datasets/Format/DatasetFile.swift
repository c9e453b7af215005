import HDF5
import Images
import Support

/// A format-v1 dataset file opened for reading (see `Data/README.md`).
///
/// Opening reads only the attributes; images are read on demand, per image or per batch.
public final class DatasetFile {
  /// The path the file was opened from.
  public let path: String
  public let kind: DatasetKind
  public let classNames: [String]
  /// Provenance (generator and settings, or importer and source folder).
  public let source: String
  /// The stored `content_hash` (`sha256:…`), the cache key of this data downstream.
  public let contentHash: String
  public let schemaVersion: Int
  /// The splits present, in canonical order (train, val, test).
  public let splitNames: [String]
  let file: HDF5File

  /// Opens and validates a dataset file.
  /// - Throws: ``DatasetError/invalidFile(file:reason:)`` for HDF5 files that are not format v1,
  ///   or an ``HDF5Error`` for missing, truncated or non-HDF5 files.
  public init(path: String) throws {
    self.path = path
    file = try HDF5File.open(path)
    let root = file.root
    guard let version = try root.attribute("schema_version")?.intValue else {
      throw DatasetError.invalidFile(
        file: path, reason: "it has no 'schema_version' attribute (not a Workbench dataset)")
    }
    guard version == 1 else {
      throw DatasetError.invalidFile(
        file: path, reason: "schema_version \(version) is not supported (this Workbench reads 1)")
    }
    schemaVersion = Int(version)
    guard let kindName = try root.attribute("kind")?.stringValue, let kind = DatasetKind(rawValue: kindName) else {
      throw DatasetError.invalidFile(
        file: path, reason: "attribute 'kind' must be classification, detection or identity")
    }
    self.kind = kind
    classNames = try root.attribute("class_names")?.stringsValue ?? []
    source = try root.attribute("source")?.stringValue ?? ""
    contentHash = try root.attribute("content_hash")?.stringValue ?? ""
    splitNames = SplitName.all.filter { root.contains($0) }
    guard !splitNames.isEmpty else {
      throw DatasetError.invalidFile(file: path, reason: "it has none of the splits train, val, test")
    }
  }

  /// Opens the split `name`.
  /// - Throws: ``DatasetError/invalidFile(file:reason:)`` when the split is missing or malformed.
  public func split(_ name: String) throws -> DatasetSplit {
    guard splitNames.contains(name) else {
      throw DatasetError.invalidFile(
        file: path, reason: "it has no split '\(name)' (it has \(splitNames.joined(separator: ", ")))")
    }
    return try DatasetSplit(file: self, group: file.root.group(name), name: name)
  }

  /// Recomputes the content hash from the stored data (see ``ContentHash``), to verify a file.
  public func computeContentHash() throws -> String {
    var hash = ContentHash()
    for name in splitNames {
      let group = try file.root.group(name)
      for child in try group.childNames() where try group.kind(of: child) == .dataset {
        let dataset = try group.dataset(child)
        let digest: String
        switch dataset.elementType {
        case .uint8 where child == "images": digest = try DatasetFile.imageDigest(dataset)
        case .uint8: digest = ContentHash.digest(try dataset.read(as: UInt8.self))
        case .int32: digest = ContentHash.digest(try dataset.read(as: Int32.self))
        case .int64: digest = ContentHash.digest(try dataset.read(as: Int64.self))
        case .float32: digest = ContentHash.digest(try dataset.read(as: Float.self))
        case .string: digest = ContentHash.digest(try dataset.readStrings())
        default:
          throw DatasetError.invalidFile(
            file: path, reason: "dataset '\(dataset.path)' has unsupported type \(dataset.elementType)")
        }
        hash.add(split: name, name: child, dtype: "\(dataset.elementType)", shape: dataset.shape, digest: digest)
      }
    }
    return hash.value(kind: kind, classNames: classNames)
  }

  /// Hashes an image dataset a block of images at a time, without loading it whole.
  private static func imageDigest(_ dataset: HDF5Dataset) throws -> String {
    var hasher = SHA256()
    let count = dataset.shape.first ?? 0
    let block = 256
    for start in stride(from: 0, to: count, by: block) {
      var slab = dataset.shape
      slab[0] = min(block, count - start)
      var offset = [Int](repeating: 0, count: slab.count)
      offset[0] = start
      hasher.update(try dataset.read(offset: offset, count: slab, as: UInt8.self))
    }
    return hasher.hexDigest
  }
}
