import Foundation

/// Options of a detection evaluation beyond the AP definition and IoU thresholds.
public struct DetectionEvaluationOptions: Equatable, Sendable {
  /// Detection limit per image and category; `nil` uses the definition's default (100 for
  /// `coco101`, none for the VOC definitions), `Int.max` means no limit. Changing it breaks
  /// parity with the reference tools.
  public var maxDetections: Int?
  /// Number of steps of the confidence grid 0…1 used for curves and the operating point.
  public var confidenceSteps: Int
  /// Confidence for the confusion matrix; `nil` uses the operating point's confidence.
  public var confusionConfidence: Double?

  /// Creates options; the defaults reproduce the reference tools.
  public init(
    maxDetections: Int? = nil, confidenceSteps: Int = 1000, confusionConfidence: Double? = nil
  ) {
    self.maxDetections = maxDetections
    self.confidenceSteps = confidenceSteps
    self.confusionConfidence = confusionConfidence
  }
}

/// Evaluates box detections against ground truth (COCO formats) under a named AP definition.
///
/// `coco101` reproduces pycocotools' `COCOeval` (iouType "bbox", area range "all",
/// maxDets 100): ``DetectionReport/map`` is its `stats[0]` (AP@[.5:.95]) and
/// ``DetectionReport/map50`` its `stats[1]`. `voc07` and `voc-all` follow the PASCAL VOC devkit.
/// Categories without positives get `null` AP and are left out of the means, as COCOeval's
/// `-1` entries are.
public enum DetectionEvaluator {
  /// Evaluates a COCO ground-truth file against COCO results.
  ///
  /// - Parameters:
  ///   - gt: The ground truth.
  ///   - preds: The detections (COCO results entries).
  ///   - definition: The AP definition; recorded in the report.
  ///   - iouThresholds: IoU thresholds in (0, 1]; COCO's 0.50:0.05:0.95 by default.
  ///   - options: Limits and curve settings.
  /// - Returns: The report.
  /// - Throws: ``DetectionInputError`` naming the first invalid item or parameter.
  public static func evaluate(
    gt: COCOGroundTruth, preds: [COCOResult], definition: APDefinition = .coco101,
    iouThresholds: [Double] = cocoIoUThresholds, options: DetectionEvaluationOptions = .init()
  ) throws -> DetectionReport {
    let data = try DetectionDataset(groundTruth: gt, results: preds)
    return try evaluate(
      data, definition: definition, iouThresholds: iouThresholds, options: options)
  }

  /// Evaluates an already validated dataset; see ``evaluate(gt:preds:definition:iouThresholds:options:)``.
  public static func evaluate(
    _ data: DetectionDataset, definition: APDefinition = .coco101,
    iouThresholds: [Double] = cocoIoUThresholds, options: DetectionEvaluationOptions = .init()
  ) throws -> DetectionReport {
    guard !iouThresholds.isEmpty else {
      throw DetectionInputError.invalidParameter("at least one IoU threshold is needed")
    }
    for t in iouThresholds where !(t > 0 && t <= 1) {
      throw DetectionInputError.invalidParameter("IoU threshold \(t) must be in (0, 1]")
    }
    guard options.confidenceSteps >= 1 else {
      throw DetectionInputError.invalidParameter(
        "confidenceSteps is \(options.confidenceSteps); it must be at least 1")
    }
    var maxDetections = options.maxDetections ?? definition.defaultMaxDetections
    if maxDetections == Int.max { maxDetections = nil }
    if let m = maxDetections, m < 1 {
      throw DetectionInputError.invalidParameter("maxDetections is \(m); it must be at least 1")
    }
    let matches = matchTables(
      data, definition: definition, thresholds: iouThresholds, maxDetections: maxDetections)
    return assemble(
      data, matches: matches, definition: definition, thresholds: iouThresholds,
      maxDetections: maxDetections, options: options)
  }

  /// Runs the definition's matching protocol: one ``CategoryMatches`` per category (id order).
  public static func matchTables(
    _ data: DetectionDataset, definition: APDefinition, thresholds: [Double],
    maxDetections: Int?
  ) -> [CategoryMatches] {
    switch definition {
    case .coco101:
      return COCOMatcher(data: data, thresholds: thresholds, maxDetections: maxDetections).match()
    case .voc07, .vocAll:
      return VOCMatcher(data: data, thresholds: thresholds, maxDetections: maxDetections).match()
    }
  }

  /// Index of `value` in `thresholds` (within 1e-12), if present.
  static func index(of value: Double, in thresholds: [Double]) -> Int? {
    thresholds.firstIndex { abs($0 - value) < 1e-12 }
  }

  private static func assemble(
    _ data: DetectionDataset, matches: [CategoryMatches], definition: APDefinition,
    thresholds: [Double], maxDetections: Int?, options: DetectionEvaluationOptions
  ) -> DetectionReport {
    let t50 = index(of: 0.5, in: thresholds)
    let t75 = index(of: 0.75, in: thresholds)
    let curveT = t50 ?? 0
    var categories: [DetectionReport.CategoryResult] = []
    var perThreshold = [[Double]](repeating: [], count: thresholds.count)
    for (k, m) in matches.enumerated() {
      var result = DetectionReport.CategoryResult(
        id: data.categories[k].id, name: data.categories[k].name, positives: m.positives,
        detections: m.scores.count, ap: nil, ap50: nil, apMean: nil, precisionAtRecall: nil)
      if m.positives > 0 {
        var aps: [Double] = []
        for t in thresholds.indices {
          let (tp, fp) = m.cumulativeCounts(threshold: t)
          let ap = definition.averagePrecision(tp: tp, fp: fp, positives: m.positives)
          aps.append(ap)
          perThreshold[t].append(ap)
          if t == curveT {
            let recall = tp.map { $0 / Double(m.positives) }
            result.precisionAtRecall = definition.sampledPrecision(
              recall: recall, precision: definition.precision(tp: tp, fp: fp))
          }
        }
        result.ap = aps
        result.ap50 = t50.map { aps[$0] }
        result.apMean = aps.reduce(0, +) / Double(aps.count)
      }
      categories.append(result)
    }
    let mapPerThreshold: [Double?] = perThreshold.map {
      $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count)
    }
    let present = mapPerThreshold.compactMap { $0 }
    let (curves, point) = ConfidenceCurveBuilder(steps: options.confidenceSteps).build(
      matches: matches, threshold: curveT, iou: thresholds[curveT],
      categoryIds: data.categories.map(\.id))
    let confusion = DetectionConfusionBuilder(
      data: data, iouThreshold: thresholds[curveT],
      confidence: options.confusionConfidence ?? point.confidence
    ).build()
    return DetectionReport(
      definition: definition, iouThresholds: thresholds, maxDetections: maxDetections,
      counts: .init(
        images: data.imageIds.count, categories: data.categories.count,
        groundTruth: data.groundTruthCount, positives: matches.reduce(0) { $0 + $1.positives },
        detections: data.detectionCount),
      map: present.isEmpty ? nil : present.reduce(0, +) / Double(present.count),
      map50: t50.flatMap { mapPerThreshold[$0] }, map75: t75.flatMap { mapPerThreshold[$0] },
      mapPerThreshold: mapPerThreshold, categories: categories, confidenceCurves: curves,
      operatingPoint: point, confusionMatrix: confusion)
  }
}
