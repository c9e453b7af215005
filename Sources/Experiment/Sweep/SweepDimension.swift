import Foundation
import Support
import Tensors

/// One axis of a sweep's search space: a list of values, a `choice` among values, or a
/// continuous `uniform` / `log_uniform` range (random search only).
public enum SweepDimension: Equatable, Sendable {
  /// `[0.25, 0.5]` or `{"choice": [64, 96]}`: the values a grid enumerates and random search
  /// picks from uniformly.
  case values([JSONValue])
  /// `{"uniform": [lo, hi]}`: a number uniform in [lo, hi).
  case uniform(Double, Double)
  /// `{"log_uniform": [lo, hi]}`: a number whose logarithm is uniform in [log lo, log hi), for
  /// scales such as learning rates; `lo` must be > 0.
  case logUniform(Double, Double)

  /// The values a grid takes, or nil for a continuous range.
  public var gridValues: [JSONValue]? {
    if case .values(let v) = self { return v }
    return nil
  }

  /// One random draw from `rng`.
  public func sample(_ rng: inout RandomStream) -> JSONValue {
    switch self {
    case .values(let v):
      return v[rng.nextInt(below: v.count)]
    case .uniform(let lo, let hi):
      return .number(lo + (hi - lo) * rng.nextDouble())
    case .logUniform(let lo, let hi):
      // exp can round up to `hi` itself; the range is half-open like the uniform one
      let v = Foundation.exp(Foundation.log(lo) + (Foundation.log(hi) - Foundation.log(lo)) * rng.nextDouble())
      return .number(Swift.min(Swift.max(v, lo), hi.nextDown))
    }
  }

  /// Parses one `space` entry, or returns the problems with it (located at `path`).
  static func parse(_ value: JSONValue, path: String, issues: inout [SpecIssue]) -> SweepDimension? {
    func fail(_ message: String, _ at: String = path) -> SweepDimension? {
      issues.append(SpecIssue(path: at, message: message))
      return nil
    }
    if case .array(let a) = value {
      return a.isEmpty ? fail("expected at least one value, got an empty list") : .values(a)
    }
    guard case .object(let o) = value else {
      return fail(
        "expected a list of values, {\"choice\": [...]}, {\"uniform\": [lo, hi]} or {\"log_uniform\": [lo, hi]}, got \(value.brief)"
      )
    }
    let kinds = ["choice", "uniform", "log_uniform"]
    guard o.count == 1, let (kind, arg) = o.first else {
      return fail("expected exactly one of \(kinds.joined(separator: ", ")), got \(o.count) keys")
    }
    let sub = "\(path).\(kind)"
    switch kind {
    case "choice":
      guard case .array(let a) = arg, !a.isEmpty else { return fail("expected a non-empty list of values", sub) }
      return (.values(a))
    case "uniform", "log_uniform":
      guard case .array(let a) = arg, a.count == 2, let lo = a[0].doubleValue, let hi = a[1].doubleValue,
        lo.isFinite, hi.isFinite
      else { return fail("expected [low, high], two numbers, got \(arg.brief)", sub) }
      guard lo < hi else { return fail("expected low < high, got [\(lo), \(hi)]", sub) }
      if kind == "log_uniform" {
        guard lo > 0 else { return fail("expected low > 0 (a log scale), got \(lo)", sub) }
        return (.logUniform(lo, hi))
      }
      return (.uniform(lo, hi))
    default:
      let hint = Suggestion.closest(to: kind, in: kinds).map { "did you mean `\($0)`?" }
      return fail("unknown key; \(hint ?? "expected one of \(kinds.joined(separator: ", "))")", sub)
    }
  }
}
