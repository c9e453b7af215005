import Foundation
import XCTest

@testable import Metrics

/// The `--json` documents keep their documented keys and round-trip; text renders numbers.
final class ReportFormatTests: XCTestCase {
  func detectionReport() throws -> DetectionReport {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)],
      annotations: [COCOAnnotation(id: 1, imageId: 1, categoryId: 3, bbox: [0, 0, 10, 10])],
      categories: [COCOCategory(id: 3, name: "cat"), COCOCategory(id: 4, name: "dog")])
    let preds = [
      COCOResult(imageId: 1, categoryId: 3, bbox: [0, 0, 10, 10], score: 0.9),
      COCOResult(imageId: 1, categoryId: 3, bbox: [50, 0, 10, 10], score: 0.95),
    ]
    return try DetectionEvaluator.evaluate(
      gt: g, preds: preds, definition: .vocAll, options: .init(confidenceSteps: 4))
  }

  func testDetectionJSONKeysAndRoundTrip() throws {
    let report = try detectionReport()
    let data = try report.jsonData()
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    XCTAssertEqual(
      Set(object.keys),
      [
        "format", "version", "definition", "iouThresholds", "maxDetections", "counts", "map",
        "map50", "map75",
        "mapPerThreshold", "categories", "confidenceCurves", "operatingPoint", "confusionMatrix",
      ].reduce(into: Set<String>()) { $0.insert($1) })
    XCTAssertEqual(object["definition"] as? String, "voc-all")
    XCTAssertEqual(object["format"] as? String, "workbench.detection-report")
    let categories = try XCTUnwrap(object["categories"] as? [[String: Any]])
    XCTAssertTrue(categories[1]["ap"] is NSNull)  // dog has no ground truth
    XCTAssertEqual(try JSONDecoder().decode(DetectionReport.self, from: data), report)
    // One TP after one FP: precision 1/2 at recall 1 → AP 0.5 at every threshold.
    XCTAssertEqual(report.map ?? -1, 0.5, accuracy: 1e-12)
    let text = report.renderText()
    XCTAssertTrue(text.contains("AP definition voc-all"), text)
    XCTAssertTrue(text.contains("mAP 0.5000"), text)
  }

  func testVerificationJSONAndText() throws {
    let r = try VerificationEvaluator.evaluate(
      distances: [0.1, 0.9, 0.2, 0.8], isSame: [true, false, true, false], folds: [0, 0, 1, 1],
      metric: .cosine)
    let data = try r.jsonData(pretty: false)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    XCTAssertEqual(object["metric"] as? String, "cosine")
    XCTAssertEqual(object["accuracy"] as? Double, 1)
    XCTAssertEqual(try JSONDecoder().decode(VerificationReport.self, from: data), r)
    XCTAssertTrue(r.renderText().contains("accuracy 1.0000 ± 0.0000"), r.renderText())
  }

  func testClassificationJSONRoundTrip() throws {
    let r = try ClassificationEvaluator.evaluate(
      labels: [0, 1], scores: [0.9, 0.1, 0.2, 0.8], classCount: 2)
    XCTAssertEqual(try JSONDecoder().decode(ClassificationReport.self, from: try r.jsonData()), r)
    XCTAssertTrue(r.renderText().contains("accuracy 1.0000"), r.renderText())
  }
}
