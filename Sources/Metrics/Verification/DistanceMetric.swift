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
