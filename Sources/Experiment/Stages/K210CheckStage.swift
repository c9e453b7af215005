import Datasets
import Foundation
import Graph
import K210
import RunFormat
import Support

/// `check-k210`: the static K210 check of the untrained model (`simulate.k210`): per-layer
/// KPU/CPU placement, KPU RAM plan, main memory and KPU time. It runs right after the model
/// stage and fails the run, before any training, when the model cannot deploy.
///
/// Outputs: `k210-check.json` (``K210Check``) and `k210-check.txt` (the table of
/// `workbench check k210`).
public struct K210CheckStage: Stage {
  public let name = RunLayout.Stage.checkK210
  public let reads: [ArtifactName] = [.model]
  public let writes = [
    ArtifactOutput(ArtifactName("k210:check"), [RunLayout.File.k210Check])
  ]
  public init() {}

  public func settings(_ e: ResolvedExperiment) -> JSONValue { e.document["simulate"]?["k210"] ?? .null }

  public func run(_ context: StageContext) throws {
    guard let k = context.settings.simulate.k210 else { return }
    let graph = try ModelGraph.read(context.artifact(.model))
    let check = try Self.check(graph, k)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicWrite.write(try encoder.encode(check), to: context.outputFile(RunLayout.File.k210Check))
    let text = check.renderText(clockMHz: k.clockMhz)
    try AtomicWrite.write(text, to: context.outputFile("k210-check.txt"))
    for line in text.split(separator: "\n").suffix(3) { context.progress.line("  \(line)") }
    if !check.fits {
      throw StageError.failed(
        "the model does not fit the K210: " + check.problems.joined(separator: "; ") + " (details: k210-check.txt)")
    }
  }

  /// The check with the experiment's K210 settings.
  public static func check(_ graph: ModelGraph, _ k: K210Settings) throws -> K210Check {
    var limits = K210Limits()
    limits.reserve = k.reserveBytes
    return try K210Check(graph, limits: limits)
  }

  /// The check without running any stage, for `run --dry-run`: the graph is built from the
  /// settings (class count from the generator, or the dataset file's header), as the model
  /// stage will build it. Nil when the experiment has no `simulate.k210`.
  public static func dryRun(_ e: ResolvedExperiment) throws -> K210Check? {
    guard let k = e.settings.simulate.k210, let graph = try dryRunGraph(e) else { return nil }
    return try check(graph, k)
  }

  /// The untrained graph the model stage will build, when the experiment targets the K210.
  public static func dryRunGraph(_ e: ResolvedExperiment) throws -> ModelGraph? {
    guard e.settings.simulate.k210 != nil else { return nil }
    let d = e.settings.data
    let classes: Int?
    var channels = d.channels
    var kind = DatasetKind.detection
    switch d.source {
    case .shapes: classes = ShapesConfig.classNames.count
    case .digits: (classes, kind) = (DigitsConfig.classNames.count, .classification)
    case .faces: (classes, kind) = (nil, .identity)
    case .file:
      let file = try DatasetFile(path: d.path)
      classes = file.kind == .identity ? nil : file.classNames.count
      channels = try file.split(file.splitNames.first ?? "train").channels
      kind = file.kind
    }
    return try ModelStage.build(e.settings, kind: kind, classes: classes, channels: channels)
  }
}
