/// Why a verification evaluation was rejected; each description names the key or pair.
public enum VerificationError: Error, Equatable, CustomStringConvertible {
  /// A pair refers to a key that has no embedding.
  case missingEmbedding(key: String, line: Int)
  /// The matrix does not have `keys × dimension` values.
  case matrixShape(keys: Int, dimension: Int, values: Int)
  /// A key appears twice.
  case duplicateKey(String)
  /// A vector has a different length than the others.
  case dimensionMismatch(key: String, expected: Int, actual: Int)
  /// A vector holds NaN or infinity.
  case nonFiniteEmbedding(key: String)
  /// A distance is NaN or infinite.
  case nonFiniteDistance(pair: Int)
  /// Distances, labels and folds differ in length, or there are no pairs.
  case inputShape(String)
  /// Fewer than two folds, or a fold without pairs, makes the k-fold protocol impossible.
  case foldLayout(String)
  /// An option is unusable.
  case invalidParameter(String)

  /// A sentence naming the item.
  public var description: String {
    switch self {
    case .missingEmbedding(let key, let line):
      return
        "pairs file line \(line): no embedding for key '\(key)'; the embeddings file must contain every image of the pairs."
    case .matrixShape(let keys, let dimension, let values):
      return
        "embedding matrix has \(values) values, but \(keys) keys × dimension \(dimension) needs \(keys * dimension) (and the dimension must be positive)."
    case .duplicateKey(let key):
      return "embedding key '\(key)' appears more than once; keys must be unique."
    case .dimensionMismatch(let key, let expected, let actual):
      return "embedding '\(key)' has \(actual) values but the others have \(expected)."
    case .nonFiniteEmbedding(let key):
      return "embedding '\(key)' contains NaN or infinity."
    case .nonFiniteDistance(let pair):
      return "pair \(pair): the distance is NaN or infinite."
    case .inputShape(let text), .foldLayout(let text), .invalidParameter(let text):
      return "\(text)."
    }
  }
}
