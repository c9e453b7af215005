import XCTest

@testable import Metrics

/// Hand-built scenes checking each matching rule of the COCO and VOC protocols.
final class DetectionEvaluatorTests: XCTestCase {
  let categories = [COCOCategory(id: 1, name: "cat"), COCOCategory(id: 2, name: "dog")]

  func gt(
    _ id: Int, _ box: [Double], image: Int = 1, category: Int = 1, crowd: Bool = false,
    ignore: Bool = false
  )
    -> COCOAnnotation
  {
    COCOAnnotation(
      id: id, imageId: image, categoryId: category, bbox: box, iscrowd: crowd, ignore: ignore)
  }

  func det(_ box: [Double], _ score: Double, image: Int = 1, category: Int = 1) -> COCOResult {
    COCOResult(imageId: image, categoryId: category, bbox: box, score: score)
  }

  /// The sequence of APDefinitionTests built from boxes: TP, FP, TP, TP, FP with 4 positives.
  func testHandComputedSceneUnderAllDefinitions() throws {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)],
      annotations: [
        gt(1, [0, 0, 10, 10]), gt(2, [20, 0, 10, 10]), gt(3, [40, 0, 10, 10]),
        gt(4, [60, 0, 10, 10]),
      ], categories: [categories[0]])
    let preds = [
      det([0, 0, 10, 10], 0.9), det([100, 100, 10, 10], 0.8), det([20, 0, 10, 10], 0.7),
      det([40, 0, 10, 10], 0.6), det([200, 0, 10, 10], 0.5),
    ]
    let expected: [APDefinition: Double] = [
      .coco101: 63.5 / 101, .voc07: 6.75 / 11, .vocAll: 0.625,
    ]
    for (definition, ap) in expected {
      let report = try DetectionEvaluator.evaluate(
        gt: g, preds: preds, definition: definition, iouThresholds: [0.5])
      XCTAssertEqual(report.definition, definition)
      XCTAssertEqual(report.map50 ?? -1, ap, accuracy: 1e-12, "\(definition)")
      XCTAssertEqual(report.categories[0].positives, 4)
    }
  }

  /// IoU exactly 0.5: COCO matches (IoU ≥ t), the VOC devkit does not (IoU > t).
  func testThresholdInclusiveForCOCOStrictForVOC() throws {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)], annotations: [gt(1, [0, 0, 10, 10])], categories: [categories[0]])
    let preds = [det([0, 0, 10, 20], 0.9)]  // IoU = 100 / 200
    // COCO precision is tp / (tp + fp + ε), so a perfect AP is 1 − 1e-16.
    XCTAssertEqual(
      try DetectionEvaluator.evaluate(
        gt: g, preds: preds, definition: .coco101, iouThresholds: [0.5]
      ).map50 ?? -1, 1, accuracy: 1e-12)
    XCTAssertEqual(
      try DetectionEvaluator.evaluate(
        gt: g, preds: preds, definition: .vocAll, iouThresholds: [0.5]
      ).map50, 0)
  }

  /// A second detection on a matched ground truth is a false positive.
  func testDuplicateIsFalsePositive() throws {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)], annotations: [gt(1, [0, 0, 10, 10])], categories: [categories[0]])
    let preds = [det([0, 0, 10, 10], 0.9), det([0, 0, 10, 10], 0.8)]
    let data = try DetectionDataset(groundTruth: g, results: preds)
    for definition in APDefinition.allCases {
      let m = DetectionEvaluator.matchTables(
        data, definition: definition, thresholds: [0.5], maxDetections: nil)
      XCTAssertEqual(m[0].outcomes[0], [.truePositive, .falsePositive], "\(definition)")
    }
  }

  /// Detections on a crowd region are ignored (COCO) / on a difficult box ignored (VOC), and the
  /// region is not a positive.
  func testCrowdAndDifficultAreIgnored() throws {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)],
      annotations: [
        gt(1, [0, 0, 100, 100], crowd: true), gt(2, [200, 0, 10, 10]),
        gt(3, [300, 0, 10, 10], ignore: true),
      ],
      categories: [categories[0]])
    // Two boxes inside the crowd (IoU with crowd uses the detection's area: 1), one TP.
    let preds = [
      det([10, 10, 10, 10], 0.9), det([50, 50, 10, 10], 0.8), det([200, 0, 10, 10], 0.7),
      det([300, 0, 10, 10], 0.6),
    ]
    let data = try DetectionDataset(groundTruth: g, results: preds)
    let coco = DetectionEvaluator.matchTables(
      data, definition: .coco101, thresholds: [0.5], maxDetections: 100)
    // COCO: crowd absorbs both; `ignore` has no effect (pycocotools overwrites it with iscrowd).
    XCTAssertEqual(coco[0].positives, 2)
    XCTAssertEqual(coco[0].outcomes[0], [.ignored, .ignored, .truePositive, .truePositive])
    let voc = DetectionEvaluator.matchTables(
      data, definition: .voc07, thresholds: [0.5], maxDetections: nil)
    // VOC: plain IoU with the big crowd box is 0.01 → FP; `ignore` marks box 3 difficult.
    XCTAssertEqual(voc[0].positives, 1)
    XCTAssertEqual(voc[0].outcomes[0], [.falsePositive, .falsePositive, .truePositive, .ignored])
  }

  /// COCO keeps at most 100 detections per image and category.
  func testMaxDetectionsPerImageAndCategory() throws {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)], annotations: [gt(1, [0, 0, 10, 10])], categories: categories)
    var preds = (0..<101).map { det([500, 500, 10, 10], 0.5 + Double($0) / 1000) }
    preds.append(det([0, 0, 10, 10], 0.1))  // the 102nd-best cat box would be the only TP
    preds.append(det([0, 0, 10, 10], 0.1, category: 2))  // other category: its own budget
    let coco = try DetectionEvaluator.evaluate(gt: g, preds: preds, definition: .coco101)
    XCTAssertEqual(coco.categories[0].detections, 100)
    XCTAssertEqual(coco.categories[1].detections, 1)
    XCTAssertEqual(coco.map50, 0)
    XCTAssertNil(coco.categories[1].ap)  // no ground truth: left out of the mean
    let voc = try DetectionEvaluator.evaluate(gt: g, preds: preds, definition: .vocAll)
    XCTAssertEqual(voc.categories[0].detections, 102)
    XCTAssertEqual(voc.map50 ?? -1, 1.0 / 102, accuracy: 1e-12)  // recall 1 at precision 1/102
  }

  /// Operating point, curves and confusion matrix on a two-class scene.
  func testOperatingPointAndConfusionMatrix() throws {
    let g = COCOGroundTruth(
      images: [COCOImage(id: 1)],
      annotations: [
        gt(1, [0, 0, 10, 10]), gt(2, [20, 0, 10, 10], category: 2),
        gt(3, [40, 0, 10, 10], category: 2),
      ],
      categories: categories)
    let preds = [
      det([0, 0, 10, 10], 0.9),  // cat TP
      det([20, 0, 10, 10], 0.8, category: 2),  // dog TP
      det([40, 0, 10, 10], 0.3, category: 1),  // cat on a dog: FP for cat, dog missed
      det([90, 0, 10, 10], 0.2, category: 2),  // background FP
    ]
    let report = try DetectionEvaluator.evaluate(
      gt: g, preds: preds, definition: .coco101, options: .init(confidenceSteps: 10))
    // At c ∈ (0.3, 0.8]: cat P=1 R=1, dog P=1 R=.5 → F1 1 and 2/3, macro 5/6, the maximum.
    XCTAssertEqual(report.operatingPoint.confidence, 0.4, accuracy: 1e-12)
    XCTAssertEqual(report.operatingPoint.f1, (1 + 2.0 / 3) / 2, accuracy: 1e-12)
    XCTAssertEqual(report.operatingPoint.precision, 1, accuracy: 1e-12)
    XCTAssertEqual(report.operatingPoint.recall, 0.75, accuracy: 1e-12)
    XCTAssertEqual(report.confidenceCurves.confidence.count, 11)
    XCTAssertEqual(report.confusionMatrix.labels, ["cat", "dog", "background"])
    XCTAssertEqual(report.confusionMatrix.counts, [[1, 0, 0], [0, 1, 1], [0, 0, 0]])
    let low = try DetectionEvaluator.evaluate(
      gt: g, preds: preds, definition: .coco101, options: .init(confusionConfidence: 0.1))
    XCTAssertEqual(low.confusionMatrix.counts, [[1, 0, 0], [1, 1, 0], [0, 1, 0]])
  }

  func testInvalidInputsNameTheItem() {
    let good = COCOGroundTruth(
      images: [COCOImage(id: 4)], annotations: [], categories: [categories[0]])
    func error(_ g: COCOGroundTruth, _ p: [COCOResult]) -> String {
      do {
        _ = try DetectionEvaluator.evaluate(gt: g, preds: p)
        return "no error"
      } catch { return "\(error)" }
    }
    var bad = good
    bad.annotations = [gt(17, [0, 0, -3, 4], image: 4)]
    XCTAssertEqual(error(bad, []), "annotation 17 (image 4): bbox has negative width -3.0.")
    XCTAssertEqual(
      error(good, [det([0, 0, 1, 1], 0.5, image: 9)]),
      "result 0 (image 9): image 9 is not in the ground truth; results must refer to its images.")
    XCTAssertEqual(
      error(good, [det([0, 0, 1, 1], 0.5, image: 4, category: 7)]),
      "result 0 (image 4): category 7 is not in the ground truth's categories.")
    XCTAssertEqual(
      error(good, [det([0, 0, 1, 1], .nan, image: 4)]),
      "result 0 (image 4): score is nan; scores must be finite numbers.")
    XCTAssertEqual(
      error(good, [det([0, 0, 1, -2], 0.5, image: 4)]),
      "result 0 (image 4): bbox has negative height -2.0.")
    bad = good
    bad.annotations = [gt(3, [0, 0, 1, 1], image: 5)]
    XCTAssertEqual(
      error(bad, []), "annotation 3 (image 5): image 5 is not listed in the ground truth's images.")
  }

  func testJSONParsingAndNaNScore() throws {
    let gtJSON = """
      {"images": [{"id": 1, "file_name": "a.jpg"}], "categories": [{"id": 1, "name": "cat"}],
       "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 2, 2], "area": 4, "iscrowd": 0}]}
      """
    let g = try COCOGroundTruth.decode(from: Data(gtJSON.utf8))
    XCTAssertEqual(g.annotations[0].bbox, [0, 0, 2, 2])
    let preds = try COCOResult.decodeList(
      from: Data(#"[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 2, 2], "score": NaN}]"#.utf8))
    XCTAssertThrowsError(try DetectionEvaluator.evaluate(gt: g, preds: preds)) {
      XCTAssertEqual("\($0)", "result 0 (image 1): score is nan; scores must be finite numbers.")
    }
    XCTAssertThrowsError(
      try COCOResult.decodeList(
        from: Data(#"[{"image_id": 1, "bbox": [0, 0, 2, 2], "score": 1}]"#.utf8))
    ) {
      XCTAssertEqual("\($0)", "results: missing key 'category_id' at [0].")
    }
  }
}
