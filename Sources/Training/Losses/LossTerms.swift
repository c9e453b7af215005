import Autograd

/// A loss made of named, already weighted terms (box, objectness, class, …) and their sum.
///
/// Every term is kept so the training loop can report, log and diagnose each component
/// separately: a NaN is reported as "the `objectness` term", not just "the loss".
public struct LossTerms {
  /// The weighted terms in a fixed order; their sum is ``total``.
  public let terms: [(name: String, value: Variable)]
  /// The objective that is differentiated: the sum of ``terms``.
  public let total: Variable

  /// Sums the given weighted terms.
  public init(_ terms: [(name: String, value: Variable)]) {
    precondition(!terms.isEmpty, "LossTerms: need at least one term")
    self.terms = terms
    var sum = terms[0].value
    for t in terms.dropFirst() { sum = sum + t.value }
    self.total = sum
  }

  /// A single-term loss named `name`.
  public init(_ name: String, _ value: Variable) { self.init([(name, value)]) }

  /// The scalar value of each term and of the total (`"loss"`), for logs and history.
  public var scalars: [String: Double] {
    var out = ["loss": Double(total.value.scalars.reduce(0, +))]
    for t in terms { out[t.name] = Double(t.value.value.scalars.reduce(0, +)) }
    return out
  }
}
