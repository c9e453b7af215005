import Foundation
import XCTest

/// The run folders under `Fixtures/` (copied from real runs by `Fixtures/make_fixtures.sh`),
/// their files read independently of Reporting's decoders, and temporary copies of them.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// A fixture run folder (read-only; copy it before writing a report).
  static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

  /// A fresh temporary directory, removed by the test case's teardown.
  static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("reporting-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
  }

  /// Copies fixture `name` to `<reportsRoot>/<experiment>/<runId>` and returns that folder.
  @discardableResult
  static func copy(_ name: String, into reportsRoot: URL, experiment: String, runId: String) throws -> URL {
    let parent = reportsRoot.appendingPathComponent(experiment)
    try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    let destination = parent.appendingPathComponent(runId)
    try FileManager.default.copyItem(at: url(name), to: destination)
    return destination
  }

  /// The JSON of `path` in fixture `name`, parsed by `JSONSerialization` (not by Reporting's
  /// types), so tests compare what a report shows with what the file says.
  static func json(_ name: String, _ path: String) throws -> Any {
    try JSONSerialization.jsonObject(
      with: Data(contentsOf: url(name).appendingPathComponent(path)), options: [.fragmentsAllowed])
  }

  /// The JSON object at `path` in fixture `name`.
  static func object(_ name: String, _ path: String) throws -> [String: Any] {
    try XCTUnwrap(json(name, path) as? [String: Any], "\(name)/\(path) is not a JSON object")
  }

  /// Rewrites the JSON file at `path` in the (copied) run folder `run` through `edit`.
  static func editJSON(_ run: URL, _ path: String, _ edit: (inout Any) throws -> Void) throws {
    let file = run.appendingPathComponent(path)
    var value = try JSONSerialization.jsonObject(with: Data(contentsOf: file), options: [.fragmentsAllowed])
    try edit(&value)
    try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]).write(to: file)
  }

  /// A KPI below 10 as reports show it (four decimals), written out here rather than taken from
  /// Reporting's `Format`.
  static func kpi(_ value: Any?) throws -> String {
    String(format: "%.4f", try XCTUnwrap(value as? Double, "not a number: \(String(describing: value))"))
  }

  /// Whether `value` is the JSON number `json` (from ``json(_:_:)``), to one part in 10¹⁴:
  /// Foundation's `JSONSerialization` on Linux may round the last bit of a parsed number
  /// differently from `JSONDecoder` (e.g. 0.0002023787284388816 → …88164).
  static func same(_ value: Double?, _ json: Any?) -> Bool {
    guard let value, let number = json as? Double else { return value == nil && json == nil }
    return abs(value - number) <= 1e-14 * max(abs(value), abs(number))
  }

  /// ``same(_:_:)`` for arrays of numbers.
  static func same(_ values: [Double?]?, _ json: [Any?]) -> Bool {
    guard let values, values.count == json.count else { return false }
    return zip(values, json).allSatisfy { same($0, $1) }
  }
}
