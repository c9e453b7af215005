/// One problem in an experiment file, located by its JSON path (`train.optimizer.lr`).
public struct SpecIssue: Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path.isEmpty ? "(top level)" : path): \(message)" }
}

/// Errors reading or validating an experiment.
public enum SpecError: Error, CustomStringConvertible, Equatable {
  case unreadable(file: String, reason: String)
  case invalid(file: String, issues: [SpecIssue])
  case badOverride(String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return "\(file) is not valid JSON: \(reason)"
    case .invalid(let file, let issues):
      let s = issues.count == 1 ? "problem" : "problems"
      return "\(file) has \(issues.count) \(s):\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    case .badOverride(let text, let reason):
      return "--set \(text): \(reason) (expected PATH=VALUE, e.g. train.epochs=3 or train.optimizer.name=\"sgd\")"
    }
  }
}
