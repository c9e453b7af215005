import Compression
import Foundation
import Graph
import RunFormat
import Support

/// `sensitivity`: the pruning sensitivity of the trained model (Li et al. 2017, §4.2; the
/// analysis Distiller plots). Every prunable channel group is pruned alone — ranked by the
/// `compress.prune` criterion, rounded with `round_to` — at each ratio of
/// `compress.prune.sensitivity.ratios`, without fine-tuning, and the task KPI (mAP@0.5 or top-1)
/// is measured on the first `samples` images of the evaluation split, loaded once.
///
/// Runs when `compress.prune.ratios` is `"sensitivity"` (the compress stage then chooses
/// per-group ratios from the curves) or a `compress.prune.sensitivity` section is written (for
/// the report's chart). A stage of its own, so its cached curves survive changes to the
/// target, schedule and fine-tuning.
///
/// Outputs: `sensitivity.json` (RunFormat's ``SensitivityRecord``); the wall time and number of
/// evaluations in `volatile/timing.json`.
public struct SensitivityStage: Stage {
  public let name = RunLayout.Stage.sensitivity
  public let reads: [ArtifactName] = [.dataset, .trainedModel]
  public let writes = [ArtifactOutput(.sensitivity, [RunLayout.File.sensitivity])]
  public init() {}

  /// The criterion, rounding, exclusions and analysis of `compress.prune`, the evaluate
  /// section without gates, and `train` (the Taylor criterion's loss and the KPI's class
  /// activation): not the target, schedule or fine-tuning, which do not change the curves.
  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    var prune = e.document["compress"]?["prune"]?.objectValue ?? [:]
    let unused = [
      "ratio", "layer_ratios", "max_macs", "max_parameters", "ratios", "schedule", "steps", "frequency",
      "fine_tune_epochs", "fold_bn",
    ]
    for key in unused { prune[key] = nil }
    if let library = e.settings.compress?.prune.library {
      prune["sensitivity"] = .object([
        "ratios": .array(library.sensitivityRatios.map { .number($0) }),
        "samples": .number(Double(library.sensitivitySamples)),
      ])
    }
    var evaluate = e.document["evaluate"]?.objectValue ?? [:]
    evaluate["gates"] = nil
    return .object(["prune": .object(prune), "evaluate": .object(evaluate), "train": e.document["train"] ?? .null])
  }

  public func run(_ context: StageContext) throws {
    guard let prune = context.settings.compress?.prune else { return }
    if let problem = prune.problems.first { throw StageError.failed(problem) }
    let settings = prune.library
    let trained = try ModelGraph.read(context.artifact(.trainedModel))
    let dataPath = try context.artifact(.dataset).path
    let start = Date()
    let kpi = try SensitivityKPI(
      graph: trained, dataPath: dataPath, settings: context.settings, samples: settings.sensitivitySamples)
    let loss =
      settings.criterion == .taylor ? try PruningLoss.taylor(trained, dataPath: dataPath, context: context) : nil
    var evaluations = 0
    let table = try Compressor(settings: settings).sensitivity(of: trained, loss: loss) { graph in
      try context.checkCancellation()
      evaluations += 1
      context.progress.status("  sensitivity: evaluation \(evaluations)")
      return try kpi(graph)
    }
    let seconds = Date().timeIntervalSince(start)
    context.progress.line(
      "  sensitivity: \(table.curves.count) groups × \(table.ratios.count) ratios, \(evaluations) evaluations on "
        + String(format: "%d images in %.1f s (%.4f ", kpi.samples, seconds, table.baseline) + "\(kpi.name) unpruned)")
    let record = SensitivityRecord(table, kpi: kpi.name, samples: kpi.samples)
    try AtomicWrite.writeJSON(record, to: context.outputFile(RunLayout.File.sensitivity), snakeCase: false)
    let volatile = context.output.appendingPathComponent(RunLayout.volatileFolder)
    try FileSystem.createFolder(volatile, "the stage's volatile folder")
    try AtomicWrite.writeJSON(
      JSONValue.object(["seconds": .number(seconds), "evaluations": .number(Double(evaluations))]),
      to: volatile.appendingPathComponent("timing.json"))
  }
}
