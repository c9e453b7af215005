/// A verification pair: two image indices in a split, whether they show the same identity, and
/// the cross-validation fold (LFW protocol: 10 folds).
public struct VerificationPair: Equatable, Hashable, Sendable, Codable {
  public var first: Int
  public var second: Int
  public var isMatch: Bool
  public var fold: Int

  /// Creates a pair.
  public init(first: Int, second: Int, isMatch: Bool, fold: Int) {
    self.first = first
    self.second = second
    self.isMatch = isMatch
    self.fold = fold
  }
}
