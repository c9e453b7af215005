import Datasets
import Foundation
import Graph
import GraphTraining
import Images
import Metrics
import Support
import Training

/// The `evaluate` stage's classification path: runs the model over a split in inference mode
/// and computes Metrics' classification report from the logits — top-1/top-5 accuracy,
/// per-class precision/recall/F1, the confusion matrix, one-vs-rest AP, and a reliability curve
/// with the expected calibration error of the softmax confidence (Guo et al. 2017).
///
/// Writes `classification.json` (the `workbench.classification-report` format), its text form
/// `classification.txt` and `samples.png` (a grid of images labelled with truth, prediction and
/// confidence); returns the variant's KPIs and their definitions.
enum ClassificationEvaluation {
  /// Equal-width confidence bins of the reliability curve (Guo et al. use 15).
  static let calibrationBins = 15

  /// Evaluates `executor`'s logits output on `loader`'s images (`split` is the same split, for
  /// the sample grid) through the stage's inference loop (``EvaluateStage/infer``).
  static func run(
    executor: InferenceEngine, loader: DataLoader, split: DatasetSplit, classNames: [String], stage: EvaluateStage,
    context: StageContext
  ) throws -> KPIBlock {
    let graph = executor.graph
    guard let head = graph.outputs.first(where: { $0.role == .logits }) else {
      throw StageError.failed(
        "model \(graph.name) has no logits output, so it cannot be evaluated on classification data")
    }
    let classes = classNames.count
    let (output, progress) = (context.output, context.progress)
    var labels: [Int] = [], scores: [Float] = [], indices: [Int] = []
    labels.reserveCapacity(loader.count); scores.reserveCapacity(loader.count * classes)
    try stage.infer(executor, loader, context) { batch, out in
      guard let logits = out[head.name], logits.count == batch.count * classes else {
        throw StageError.failed(
          "model \(graph.name)'s output \(head.name) has shape \(out[head.name]?.shape ?? []); expected [\(batch.count), \(classes)] for the data's \(classes) classes"
        )
      }
      labels += batch.labels; scores += logits.scalars; indices += batch.indices
    }
    let report = try ClassificationEvaluator.evaluate(
      labels: labels, scores: scores, classCount: classes, classNames: classNames,
      topK: classes > 5 ? [1, 5] : [1], scoreKind: .logits, calibrationBins: calibrationBins)
    let calibration = report.calibration
    progress.line(
      String(
        format: "  evaluated %d images: top-1 %.4f, ECE %.4f", labels.count, report.accuracy,
        calibration?.expectedCalibrationError ?? 0))
    try AtomicWrite.writeJSON(report, to: output.appendingPathComponent("classification.json"), snakeCase: false)
    try AtomicWrite.write(report.renderText(), to: output.appendingPathComponent("classification.txt"))
    let shown = Array(0..<min(16, labels.count))
    let grid = try sampleGrid(
      split: split, indices: shown.map { indices[$0] }, labels: shown.map { labels[$0] },
      logits: shown.map { Array(scores[($0 * classes)..<(($0 + 1) * classes)]) }, classNames: classNames)
    try grid.writePNG(to: output.appendingPathComponent("samples.png").path)

    var kpis: [String: JSONValue] = [
      "accuracy": .number(report.accuracy), "macro_f1": .number(report.macro.f1),
      "macro_precision": .number(report.macro.precision), "macro_recall": .number(report.macro.recall),
      "weighted_f1": .number(report.weighted.f1),
    ]
    var definitions: [String: JSONValue] = [
      "accuracy": .string("top-1 accuracy: the arg-max logit is the label (ties to the lower class index)"),
      "macro_f1": .string("unweighted mean over classes of per-class F1 (scikit-learn average=\"macro\")"),
      "macro_precision": .string("unweighted mean over classes of per-class precision"),
      "macro_recall": .string("unweighted mean over classes of per-class recall (balanced accuracy)"),
      "weighted_f1": .string("per-class F1 averaged with weights = class support"),
    ]
    if let top5 = report.topK.first(where: { $0.k == 5 }) {
      kpis["top5"] = .number(top5.accuracy)
      definitions["top5"] = .string("top-5 accuracy: the label is among the 5 highest logits")
    }
    if let map = report.meanAveragePrecision {
      kpis["map"] = .number(map)
      definitions["map"] = .string(
        "mean over classes of one-vs-rest average precision of the logit (scikit-learn average_precision_score)")
    }
    if let c = calibration {
      kpis["ece"] = .number(c.expectedCalibrationError)
      kpis["mean_confidence"] = .number(c.meanConfidence)
      definitions["ece"] = .string(
        "expected calibration error of the top softmax probability, \(calibrationBins) equal-width bins (Guo et al. 2017)"
      )
      definitions["mean_confidence"] = .string("mean top softmax probability (above the accuracy: overconfident)")
    }
    return KPIBlock(kpis: kpis, definitions: definitions)
  }

  /// Up to 16 evaluation images, each framed green (right) or red (wrong) and tagged
  /// "true/predicted confidence%".
  static func sampleGrid(
    split: DatasetSplit, indices: [Int], labels: [Int], logits: [[Float]], classNames: [String], cell: Int = 96
  ) throws -> Image {
    try Image.grid(count: indices.count, cell: cell) { k in
      var tile = try split.image(at: indices[k]).converted(toChannels: 3).resized(width: cell, height: cell)
      let z = logits[k]
      var best = 0
      for c in z.indices where z[c] > z[best] { best = c }
      let confidence = 1 / z.reduce(0) { $0 + exp(Double($1 - z[best])) }
      let name = { (c: Int) in c < classNames.count ? String(classNames[c].prefix(5)) : "\(c)" }
      tile.drawLabelledBox(
        x0: 0, y0: 9, x1: cell - 1, y1: cell - 1,
        label: "\(name(labels[k]))/\(name(best)) \(Int((confidence * 100).rounded()))%",
        color: best == labels[k] ? Color.green : Color.red)
      return tile
    }
  }
}
