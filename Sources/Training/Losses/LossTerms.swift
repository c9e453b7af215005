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

  /// Sums the given weighted terms. No terms give a constant 0 total, which the ``Trainer``
  /// rejects with an error when training (nothing would be learned).
  public init(_ terms: [(name: String, value: Variable)]) {
    self.terms = terms
    guard var sum = terms.first?.value else {
      self.total = Variable(Tensor(scalar: 0))
      return
    }
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
