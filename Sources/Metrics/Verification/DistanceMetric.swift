/// How two embeddings are compared; smaller always means "more alike".
public enum DistanceMetric: String, Codable, CaseIterable, Sendable {
  /// 1 − cos(a, b), in [0, 2].
  case cosine
  /// ‖a − b‖₂.
  case euclidean
  /// ‖a − b‖₂², the distance facenet's `validate_on_lfw.py` uses by default.
  case squaredEuclidean = "squared-euclidean"

  /// The distance between two equally long vectors, accumulated in `Double`.
  public func distance(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
    precondition(a.count == b.count, "DistanceMetric: vectors differ in length")
    switch self {
    case .cosine:
      var dot = 0.0
      var na = 0.0
      var nb = 0.0
      for (x, y) in zip(a, b) {
        let (x, y) = (Double(x), Double(y))
        dot += x * y
        na += x * x
        nb += y * y
      }
      let denominator = (na * nb).squareRoot()
      return denominator > 0 ? 1 - dot / denominator : 1
    case .euclidean, .squaredEuclidean:
      var sum = 0.0
      for (x, y) in zip(a, b) {
        let d = Double(x) - Double(y)
        sum += d * d
      }
      return self == .euclidean ? sum.squareRoot() : sum
    }
  }
}

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
