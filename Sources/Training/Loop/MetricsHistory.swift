import Foundation
import Support

/// Renders the per-epoch records as CSV (one row per epoch, for spreadsheets and plots) and
/// JSON (the stable, machine-readable form: an array of ``EpochRecord`` with sorted keys).
///
/// CSV columns: `epoch, learning_rate, images_per_second, seconds`, then `train_<term>` and
/// `val_<term>` for every loss term seen in any epoch (sorted by name), then `metric`.
/// Missing values are empty cells.
public enum MetricsHistory {
  /// The CSV text, header included.
  public static func csv(_ records: [EpochRecord]) -> String {
    let trainKeys = Set(records.flatMap(\.train.keys)).sorted()
    let valKeys = Set(records.flatMap(\.validation.keys)).sorted()
    let hasMetric = records.contains { $0.metric != nil }
    var header = ["epoch", "learning_rate", "images_per_second", "seconds"]
    header += trainKeys.map { "train_\($0)" } + valKeys.map { "val_\($0)" } + (hasMetric ? ["metric"] : [])
    var lines = [header.joined(separator: ",")]
    for r in records {
      var cells = [
        String(r.epoch), "\(r.learningRate)", String(format: "%.1f", r.imagesPerSecond),
        String(format: "%.3f", r.seconds),
      ]
      cells += trainKeys.map { r.train[$0].map { "\($0)" } ?? "" }
      cells += valKeys.map { r.validation[$0].map { "\($0)" } ?? "" }
      if hasMetric { cells.append(r.metric.map { "\($0)" } ?? "") }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The JSON bytes (pretty-printed, sorted keys).
  public static func json(_ records: [EpochRecord]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(records)
  }

  /// Writes `history.csv` and `history.json` into `directory`, atomically.
  public static func write(_ records: [EpochRecord], to directory: URL) throws {
    try AtomicFile.writeDurably(Data(csv(records).utf8), to: directory.appendingPathComponent("history.csv"))
    try AtomicFile.writeDurably(try json(records), to: directory.appendingPathComponent("history.json"))
  }
}
