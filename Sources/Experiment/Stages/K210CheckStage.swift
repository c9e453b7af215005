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
    ArtifactOutput(ArtifactName("k210:check"), [RunLayout.File.k210Check]),
    ArtifactOutput(.metrics(block: "k210"), [RunLayout.File.metrics]),
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
    try AtomicWrite.writeJSON(Self.metrics(check, k), to: context.outputFile(RunLayout.File.metrics))
    if !check.fits {
      throw StageError.failed(
        "the model does not fit the K210: " + check.problems.joined(separator: "; ") + " (details: k210-check.txt)")
    }
  }

  /// The `k210` block of `metrics.json`: what gates and sweep objectives can address
  /// (`k210.kpu_ram_bytes`, `k210.main_memory_bytes`, `k210.kpu_ms`, …).
  static func metrics(_ check: K210Check, _ k: K210Settings) -> JSONValue {
    let kpuMs = check.kpuMilliseconds(timing: K210Timing(), clockMHz: k.clockMhz)
    let kpi: [String: JSONValue] = [
      "kpu_ram_bytes": .number(Double(check.kpu.highWater)), "kpu_ram_peak_bytes": .number(Double(check.kpu.peakBytes)),
      "main_memory_bytes": .number(Double(check.modelBytes + check.activationBytes)),
      "parameter_bytes": .number(Double(check.modelBytes)), "kpu_ms": .number(kpuMs),
      "kpu_layers": .number(Double(check.count(on: .kpu))), "cpu_ops": .number(Double(check.count(on: .cpu))),
      "fallbacks": .number(Double(check.fallbacks.count)),
    ]
    let definitions: [String: JSONValue] = [
      "kpu_ram_bytes":
        "highest byte of the 2 MiB KPU RAM used by the feature maps (row layout, first fit, as nncase 1.9)",
      "kpu_ram_peak_bytes": "most KPU RAM bytes resident at once",
      "main_memory_bytes":
        "main memory for the parameters (uint8 KPU weights, BN words, activation tables; float32 CPU ops) and the CPU-side tensors",
      "parameter_bytes": "main memory for the parameters",
      "kpu_ms":
        "estimated KPU time of one image at simulate.k210.clock_mhz: t = max(weights / B, c0 + MACs / (576 · f · η)) per layer, fitted on Sipeed's table; CPU ops not included",
      "kpu_layers": "layers on the KPU (nncase 1.9 rules)", "cpu_ops": "ops on the CPU",
      "fallbacks": "convolutions that break a KPU rule and run in float32 on the CPU",
    ]
    return .object(["k210": .object(kpi), "definitions": .object(definitions)])
  }

  /// The check with the experiment's K210 settings.
  static func check(_ graph: ModelGraph, _ k: K210Settings) throws -> K210Check {
    var limits = K210Limits()
    limits.reserve = k.reserveBytes
    return try K210Check(graph, limits: limits)
  }

  /// The check without running any stage, for `run --dry-run`: the graph is built from the
  /// settings (class count from the generator, or the dataset file's header), as the model
  /// stage will build it. Nil when the experiment has no `simulate.k210`.
  public static func dryRun(_ e: ResolvedExperiment) throws -> K210Check? {
    guard let k = e.settings.simulate.k210 else { return nil }
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
    return try check(ModelStage.build(e.settings, kind: kind, classes: classes, channels: channels), k)
  }
}
