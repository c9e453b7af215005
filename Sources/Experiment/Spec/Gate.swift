/// A KPI gate from `evaluate.gates`, e.g. `"map50": ">= 0.6"`.
public struct Gate: Equatable, Sendable, Codable {
  public var metric: String
  public var op: String
  public var threshold: Double

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

import Foundation
