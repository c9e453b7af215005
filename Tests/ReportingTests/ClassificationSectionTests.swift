import Charts
import Foundation
import Metrics
import RunFormat
import XCTest

@testable import Reporting

/// The classification section renders a real evaluator report: top-1/top-5, calibration, the
/// per-class table, the confusion heatmap and the reliability diagram.
final class ClassificationSectionTests: XCTestCase {
  /// 12 samples of 6 classes; sample n has label n % 6 and logit 3 on class (n % 6), except
  /// samples 0 and 7, whose logit 3 is on the next class (so top-1 = 10/12).
  func report() throws -> ClassificationReport {
    let labels = (0..<12).map { $0 % 6 }
    var logits = [Float](repeating: 0, count: 12 * 6)
    for n in 0..<12 { logits[n * 6 + (n == 0 || n == 7 ? (labels[n] + 1) % 6 : labels[n])] = 3 }
    return try ClassificationEvaluator.evaluate(
      labels: labels, scores: logits, classCount: 6, classNames: ["zero", "one", "two", "three", "four", "five"],
      topK: [1, 5], scoreKind: .logits, calibrationBins: 10)
  }

  func testSectionShowsKPIsTableConfusionAndReliability() throws {
    let c = try report()
    XCTAssertEqual(c.accuracy, 10.0 / 12, accuracy: 1e-12)
    // Every sample has confidence e³/(e³ + 5) = .8007 (bin 8): ECE = |10/12 − .8007|.
    let p = exp(3.0) / (exp(3.0) + 5)
    XCTAssertEqual(c.calibration?.expectedCalibrationError ?? -1, abs(10.0 / 12 - p), accuracy: 1e-6)
    var run = RunReport(
      folderName: "r", experiment: .object(["name": .string("digits")]), manifest: RunManifest(status: "succeeded"))
    run.classification = c
    let document = run.document()
    XCTAssertTrue(document.sections.map(\.id).contains("classification"))
    XCTAssertEqual(document.figures.map(\.id), ["classification-confusion", "classification-reliability"])
    let html = HTMLRenderer.render(document)
    XCTAssertTrue(html.contains("<section id=\"classification\">"))
    XCTAssertTrue(html.contains("0.8333"), "top-1")
    XCTAssertTrue(html.contains("Top-5 accuracy"))
    XCTAssertTrue(html.contains("ECE \(Format.metric(abs(10.0 / 12 - p)))"))
    XCTAssertTrue(html.contains("<th class=\"num\">AP</th>"))
    XCTAssertTrue(html.contains("<td>three</td>"))
    XCTAssertTrue(html.contains("perfect calibration"))
    let markdown = MarkdownRenderer.render(document)
    XCTAssertTrue(markdown.contains("| three |"))
    XCTAssertTrue(markdown.contains("![Reliability (ECE"))
    // The reliability diagram has one point per non-empty bin (here one, at .8007, .8333).
    let points = document.figures[1].scene.items.filter {
      if case .circle = $0 { return true }
      return false
    }
    XCTAssertGreaterThanOrEqual(points.count, 1)
  }

  /// Reports written before calibration existed (no `calibration` key) still load and render,
  /// without the reliability figure.
  func testReportWithoutCalibrationStillRenders() throws {
    var c = try report()
    c.calibration = nil
    let data = try c.jsonData()
    var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    object["calibration"] = nil
    let decoded = try JSONDecoder().decode(
      ClassificationReport.self, from: try JSONSerialization.data(withJSONObject: object))
    XCTAssertNil(decoded.calibration)
    var run = RunReport(folderName: "r", experiment: .object([:]), manifest: RunManifest())
    run.classification = decoded
    XCTAssertEqual(run.document().figures.map(\.id), ["classification-confusion"])
  }
}
