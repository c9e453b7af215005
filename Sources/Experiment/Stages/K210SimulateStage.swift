import Foundation
import Graph
import K210
import RunFormat
import Support

/// `simulate-k210`: the deployed model on the K210 (`simulate.k210`), after training,
/// compression, quantization, export and evaluation: the K210 check of the model that ships
/// (pruned when `compress` is set), each layer's KPU and CPU time, the frame pipeline in the
/// four scenarios of the seed story, and, when a kmodel was exported, its size and the KPIs the
/// simulator scored on it.
///
/// Outputs: `k210-simulation.json` (RunFormat's ``K210SimulationSummary``) and the `k210`
/// block of `metrics.json`, which gates and sweep objectives address (`k210.fps`,
/// `k210.latency_ms`, `k210.kpu_ram_bytes`, …).
public struct K210SimulateStage: Stage {
  public let name = RunLayout.Stage.simulateK210
  /// The deployed float graph (shapes and placement), and whether a kmodel was exported and
  /// scored.
  public let model: ArtifactName, kmodel: Bool
  public var reads: [ArtifactName] { [model] + (kmodel ? [.kmodel, .metrics(.kmodel)] : []) }
  public let writes = [
    ArtifactOutput(ArtifactName("k210:simulation"), [RunLayout.File.k210Simulation]),
    ArtifactOutput(.metrics(block: "k210"), [RunLayout.File.metrics]),
  ]

  public init(model: ArtifactName, kmodel: Bool) { (self.model, self.kmodel) = (model, kmodel) }

  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    .object([
      "simulate": e.document["simulate"]?["k210"] ?? .null, "kmodel": e.document["export"]?["kmodel"] ?? .null,
    ])
  }

  public func run(_ context: StageContext) throws {
    guard let k = context.settings.simulate.k210 else { return }
    let graph = try ModelGraph.read(context.artifact(model))
    let check = try K210CheckStage.check(graph, k)
    var kmodelBytes: Int?
    var kpis: [String: JSONValue] = [:]
    var definitions: [String: JSONValue] = [:]
    if kmodel {
      kmodelBytes = try FileManager.default.attributesOfItem(atPath: context.artifact(.kmodel).path)[.size] as? Int
      let scored = try JSONValue.parse(Data(contentsOf: context.artifact(.metrics(.kmodel))), file: "kmodel metrics")
      if case .object(let values)? = scored["kmodel"] { kpis = values }
      if case .object(let d)? = scored["definitions"] {
        for key in kpis.keys {
          definitions[key] = d[key].map {
            .string(($0.stringValue ?? key) + " (the kmodel, run by the simulator of its bytes)")
          }
        }
      }
    }
    // the timing follows the kmodel writer's optimisations when a kmodel is exported (all on
    // otherwise, as the writer's defaults)
    let passes = context.settings.export?.kmodel
    let options = K210FrameWork.Options(
      upsampleFastPath: passes?.upsampleFastPath ?? true, concatElimination: passes?.concatElimination ?? true,
      cancelRequantize: passes?.cancelRequantize ?? true)
    let summary = K210Simulation.summary(
      check, graph: graph, settings: k, options: options, kmodelBytes: kmodelBytes)
    try AtomicWrite.writeJSON(summary, to: context.outputFile(RunLayout.File.k210Simulation), snakeCase: false)
    for s in summary.scenarios {
      context.progress.line(
        String(
          format: "  %@: %.1f ms per frame (%.1f fps), latency %.1f ms", s.scenario, s.periodMs, s.fps, s.latencyMs))
    }
    try AtomicWrite.writeJSON(
      K210Simulation.metrics(summary, check: check, kpis: kpis, kpiDefinitions: definitions),
      to: context.outputFile(RunLayout.File.metrics))
  }
}
