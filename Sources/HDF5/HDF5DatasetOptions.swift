/// Storage settings for a new dataset: chunk shape, gzip compression and byte shuffling.
public struct HDF5DatasetOptions: Sendable, Equatable {
  /// The chunk shape (same rank as the dataset); `nil` stores the dataset contiguously, unless
  /// compression or an unlimited axis needs chunks, in which case a shape is chosen.
  public var chunks: [Int]?
  /// gzip (deflate) level 1...9, or `nil` for no compression.
  public var gzipLevel: Int?
  /// Whether to apply the byte-shuffle filter before gzip (helps multi-byte numbers).
  public var shuffle: Bool

  /// Creates options; the defaults store the dataset contiguously and uncompressed.
  public init(chunks: [Int]? = nil, gzipLevel: Int? = nil, shuffle: Bool = false) {
    self.chunks = chunks
    self.gzipLevel = gzipLevel
    self.shuffle = shuffle
  }

  /// A chunk shape for `shape` when none is given: whole trailing axes, about 64 KiB per chunk.
  static func defaultChunks(for shape: [Int], elementSize: Int) -> [Int] {
    guard !shape.isEmpty else { return [] }
    var chunks = shape.map { max($0, 1) }
    let target = 1 << 16
    var axis = 0
    while axis < chunks.count - 1, chunks.reduce(elementSize, *) > target {
      chunks[axis] = 1
      axis += 1
    }
    if chunks.reduce(elementSize, *) > target {
      chunks[axis] = max(1, target / max(1, chunks.dropLast().reduce(elementSize, *)))
    }
    return chunks
  }
}
