/// Embeddings addressed by key (LFW file stems such as `Name_0001`), stored as one matrix.
///
/// This is what the `--embeddings EMB.h5` file holds: `/keys` (N strings) and `/embeddings`
/// (N × D Float32). The CLI reads the file; this type only checks and indexes it.
public struct EmbeddingTable: Sendable {
  /// Keys, one per row.
  public let keys: [String]
  /// Vector length D.
  public let dimension: Int
  /// Row-major N × D values.
  public let values: [Float]
  private let rowOfKey: [String: Int]

  /// Creates a table from keys and a row-major `keys.count × dimension` matrix.
  ///
  /// - Throws: ``VerificationError`` for a size mismatch, a duplicate key or a NaN/infinite value.
  public init(keys: [String], matrix: [Float], dimension: Int) throws {
    guard dimension > 0, matrix.count == keys.count * dimension else {
      throw VerificationError.matrixShape(
        keys: keys.count, dimension: dimension, values: matrix.count)
    }
    var rows: [String: Int] = [:]
    for (row, key) in keys.enumerated() {
      guard rows.updateValue(row, forKey: key) == nil else {
        throw VerificationError.duplicateKey(key)
      }
      for v in matrix[(row * dimension)..<((row + 1) * dimension)] where !v.isFinite {
        throw VerificationError.nonFiniteEmbedding(key: key)
      }
    }
    self.keys = keys
    self.dimension = dimension
    self.values = matrix
    self.rowOfKey = rows
  }

  /// Creates a table from a dictionary (rows sorted by key).
  ///
  /// - Throws: ``VerificationError`` when vectors differ in length or hold NaN/infinite values.
  public init(_ embeddings: [String: [Float]]) throws {
    let keys = embeddings.keys.sorted()
    let dimension = keys.first.flatMap { embeddings[$0]?.count } ?? 0
    var matrix: [Float] = []
    for key in keys {
      let v = embeddings[key] ?? []
      guard v.count == dimension else {
        throw VerificationError.dimensionMismatch(key: key, expected: dimension, actual: v.count)
      }
      matrix += v
    }
    try self.init(keys: keys, matrix: matrix, dimension: dimension)
  }

  /// The vector of `key`, if present.
  public func vector(_ key: String) -> ArraySlice<Float>? {
    rowOfKey[key].map { values[($0 * dimension)..<(($0 + 1) * dimension)] }
  }
}
