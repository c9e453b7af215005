import Foundation
import Support

/// How trials are grouped into the levels of one parameter.
extension SweepImportance {
  /// Levels of a listed parameter: one per distinct value, in the sweep file's order (values
  /// not in `order` follow in order of appearance). Returns each trial's level and the labels.
  static func listedLevels(_ values: [JSONValue], order: [JSONValue]) -> (levelOf: [Int], labels: [String]) {
    var distinct: [JSONValue] = order.filter { values.contains($0) }
    for v in values where !distinct.contains(v) { distinct.append(v) }
    let levelOf = values.map { v in distinct.firstIndex(of: v) ?? 0 }
    return (levelOf, distinct.map(label))
  }

  /// Levels of a continuous parameter: `bins` equal-count bins of the sorted values (trial of
  /// rank k in bin ⌊k·bins/N⌋; equal values share the bin of the first of them; empty bins
  /// dropped), labelled `lo–hi`. Non-numeric values fall back to ``listedLevels(_:order:)``.
  static func binnedLevels(_ values: [JSONValue], bins: Int) -> (levelOf: [Int], labels: [String]) {
    let numbers = values.compactMap(\.doubleValue)
    guard numbers.count == values.count, !numbers.isEmpty else { return listedLevels(values, order: []) }
    let order = numbers.indices.sorted { numbers[$0] < numbers[$1] || (numbers[$0] == numbers[$1] && $0 < $1) }
    var raw = [Int](repeating: 0, count: numbers.count)
    for (rank, i) in order.enumerated() {
      let previous = rank > 0 ? order[rank - 1] : nil
      raw[i] = previous.map { numbers[$0] == numbers[i] } == true ? raw[previous ?? 0] : rank * bins / numbers.count
    }
    let used = Array(Set(raw)).sorted()
    let levelOf = raw.map { used.firstIndex(of: $0) ?? 0 }
    let labels = used.indices.map { l -> String in
      let members = numbers.indices.filter { levelOf[$0] == l }.map { numbers[$0] }
      let lo = members.min() ?? 0, hi = members.max() ?? 0
      return lo == hi ? format(lo) : "\(format(lo))–\(format(hi))"
    }
    return (levelOf, labels)
  }

  /// A listed value as a label: strings without their quotes, other values as JSON.
  static func label(_ v: JSONValue) -> String { v.stringValue ?? v.canonical }

  /// A parameter value with three significant digits.
  static func format(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3g", v)
  }

  /// A share as a percentage with one decimal (`17.6 %`; `—` when unknown; never `-0.0 %`).
  public static func percent(_ share: Double?) -> String {
    guard let share, share.isFinite else { return "—" }
    let tenths = (share * 1000).rounded() / 10
    return String(format: "%.1f %%", tenths == 0 ? 0 : tenths)
  }
}
