import Support

/// The `content_hash` of a format-v1 dataset: SHA-256 over a canonical description of its
/// contents, so equal data gives equal hashes however and whenever the file was written.
///
/// The hashed text is
/// ```
/// workbench-dataset v1
/// kind <kind>
/// class_names <n>
/// <one class name per line>
/// <split>/<dataset> <dtype> <shape, e.g. 10x64x64x3> <SHA-256 of the dataset's bytes>
/// ...
/// ```
/// with splits in the order train, val, test and datasets sorted by name within a split.
/// Numbers are hashed as their little-endian bytes in row-major order; strings as UTF-8 each
/// followed by one zero byte. The `source` attribute (provenance) is deliberately not hashed.
/// The result is written as `sha256:<64 hex digits>`.
public struct ContentHash: Sendable {
  /// One dataset's contribution.
  public struct Entry: Sendable, Equatable {
    public var split: String
    public var name: String
    public var dtype: String
    public var shape: [Int]
    public var digest: String
  }

  private var entries: [Entry] = []

  /// An empty accumulator.
  public init() {}

  /// Records the digest of one dataset.
  public mutating func add(split: String, name: String, dtype: String, shape: [Int], digest: String) {
    entries.append(Entry(split: split, name: name, dtype: dtype, shape: shape, digest: digest))
  }

  /// The final `sha256:…` value for a dataset of `kind` with `classNames`.
  public func value(kind: DatasetKind, classNames: [String]) -> String {
    var hasher = SHA256()
    hasher.update("workbench-dataset v1\nkind \(kind.rawValue)\nclass_names \(classNames.count)\n")
    for name in classNames { hasher.update(name + "\n") }
    let order = { (split: String) in SplitName.all.firstIndex(of: split) ?? SplitName.all.count }
    let sorted = entries.sorted { ($0.split == $1.split) ? $0.name < $1.name : order($0.split) < order($1.split) }
    for entry in sorted {
      let shape = entry.shape.map(String.init).joined(separator: "x")
      hasher.update("\(entry.split)/\(entry.name) \(entry.dtype) \(shape) \(entry.digest)\n")
    }
    return "sha256:" + hasher.hexDigest
  }

  /// The SHA-256 of numbers' little-endian bytes.
  public static func digest<T: FixedWidthInteger>(_ values: [T]) -> String {
    var hasher = SHA256()
    update(&hasher, values)
    return hasher.hexDigest
  }

  /// The SHA-256 of `Float` values' IEEE-754 little-endian bytes.
  public static func digest(_ values: [Float]) -> String {
    digest(values.map(\.bitPattern))
  }

  /// The SHA-256 of strings, each as UTF-8 followed by a zero byte.
  public static func digest(_ strings: [String]) -> String {
    var hasher = SHA256()
    for string in strings { hasher.update(Array(string.utf8) + [0]) }
    return hasher.hexDigest
  }

  /// Feeds numbers' little-endian bytes to `hasher`.
  public static func update<T: FixedWidthInteger>(_ hasher: inout SHA256, _ values: [T]) {
    let little = values.map { $0.littleEndian }
    little.withUnsafeBytes { hasher.update($0) }
  }
}
