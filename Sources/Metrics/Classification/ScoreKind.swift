/// What classification scores are, which decides whether a confidence (and so a reliability
/// curve) can be read from them.
public enum ScoreKind: String, Codable, Sendable {
  /// Arbitrary scores: only their order is used (no calibration).
  case scores
  /// Unnormalised logits: the confidence is the softmax probability of the predicted class.
  case logits
  /// Probabilities (each row in 0...1, summing to 1 within 10⁻³).
  case probabilities
}
