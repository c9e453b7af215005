/// Why classification inputs were rejected; each description names the offending sample.
public enum ClassificationInputError: Error, Equatable, CustomStringConvertible {
  /// There are no samples.
  case empty
  /// The class count is not positive.
  case invalidClassCount(Int)
  /// A label is outside `0..<classCount`.
  case labelOutOfRange(sample: Int, label: Int, classCount: Int)
  /// A prediction is outside `0..<classCount`.
  case predictionOutOfRange(sample: Int, prediction: Int, classCount: Int)
  /// The score buffer does not have `samples × classes` values.
  case scoreCountMismatch(expected: Int, actual: Int)
  /// Labels and predictions differ in length.
  case lengthMismatch(labels: Int, predictions: Int)
  /// A score is NaN or infinite.
  case nonFiniteScore(sample: Int, classIndex: Int, value: Float)
  /// A top-k value is below 1.
  case invalidTopK(Int)
  /// The reliability curve's bin count is below 1.
  case invalidBinCount(Int)
  /// Scores said to be probabilities are outside 0...1 or do not sum to 1.
  case notProbabilities(sample: Int, sum: Double)
  /// There are class names, but not one per class.
  case classNameCountMismatch(expected: Int, actual: Int)

  /// A sentence naming the item and the fix.
  public var description: String {
    switch self {
    case .empty:
      return "there are no samples to evaluate."
    case .invalidClassCount(let c):
      return "the class count is \(c); it must be at least 1."
    case .labelOutOfRange(let n, let label, let c):
      return "sample \(n): label \(label) is outside 0..<\(c)."
    case .predictionOutOfRange(let n, let p, let c):
      return "sample \(n): prediction \(p) is outside 0..<\(c)."
    case .scoreCountMismatch(let expected, let actual):
      return "the score buffer has \(actual) values but samples × classes is \(expected)."
    case .lengthMismatch(let l, let p):
      return "there are \(l) labels but \(p) predictions; give one prediction per label."
    case .nonFiniteScore(let n, let c, let v):
      return "sample \(n): score of class \(c) is \(v); scores must be finite numbers."
    case .invalidTopK(let k):
      return "top-k value \(k) must be at least 1."
    case .invalidBinCount(let m):
      return "the reliability curve needs at least 1 bin, got \(m)."
    case .notProbabilities(let n, let sum):
      return
        "sample \(n): the scores sum to \(sum) or leave 0...1, so they are not probabilities; pass them as logits or as plain scores."
    case .classNameCountMismatch(let expected, let actual):
      return "there are \(actual) class names for \(expected) classes; give one name per class."
    }
  }
}
