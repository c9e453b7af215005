import Foundation

/// A KPI gate from `evaluate.gates`: `"map50": ">= 0.6"` judges the float model's `map50`;
/// `"quantized.map50": ">= 0.85"` judges the `quantized` variant's.
public struct Gate: Equatable, Sendable, Codable {
  /// The key as written (`map50` or `quantized.map50`).
  public var metric: String
  public var op: String
  public var threshold: Double

  /// The model variant the gate reads: the part before the first `.`, or `float`.
  public var variant: String {
    guard let dot = metric.firstIndex(of: ".") else { return ModelVariant.float.rawValue }
    return String(metric[..<dot])
  }

  /// The KPI name within the variant.
  public var kpi: String {
    guard let dot = metric.firstIndex(of: ".") else { return metric }
    return String(metric[metric.index(after: dot)...])
  }

  /// Parses a condition; nil when it is not `<op> <number>`.
  public static func parse(metric: String, condition: String) -> Gate? {
    let s = condition.trimmingCharacters(in: .whitespaces)
    for op in [">=", "<=", "==", ">", "<"] where s.hasPrefix(op) {
      guard let v = Double(s.dropFirst(op.count).trimmingCharacters(in: .whitespaces)), v.isFinite else { return nil }
      return Gate(metric: metric, op: op, threshold: v)
    }
    return nil
  }

  /// Whether `value` satisfies the gate.
  public func passes(_ value: Double) -> Bool {
    switch op {
    case ">=": return value >= threshold
    case "<=": return value <= threshold
    case ">": return value > threshold
    case "<": return value < threshold
    default: return value == threshold
    }
  }

  public var condition: String { "\(op) \(threshold)" }
}
