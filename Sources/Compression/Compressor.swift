import Autograd
import Graph
import GraphTraining

/// What a `compress` stage calls: ranks channels by the configured criterion, turns the target
/// into per-group ratios, prunes (one-shot or step by step), and folds BatchNorm for export.
/// Fine-tuning between and after steps is the caller's (the training loop).
///
///     let c = Compressor(settings: s)
///     let original = c.channels(of: trained)
///     let table = try c.sensitivity(of: trained, loss: lossFn, kpi: kpiFn)      // optional
///     let ratios = try c.ratios(for: trained, sensitivity: s.sensitivity ? table : nil)
///     var g = trained
///     for step in s.fractions {                       // one step at 1 for one-shot
///       g = try c.prune(g, ratios: ratios, fraction: step.fraction, original: original, loss: lossFn)
///       g = fineTune(g, epochs: …)                    // the caller's training loop
///     }
///     let deployed = try c.deploy(g)
///     let summary = try CompressionSummary(before: trained, after: g, deployed: deployed)
public struct Compressor {
  /// Computes the loss of minibatch `i` with the executor (for the Taylor criterion and for
  /// nothing else).
  public typealias Loss = (_ executor: GraphExecutor, _ batch: Int) throws -> Variable

  /// The settings.
  public var settings: CompressionSettings

  /// Creates a compressor.
  public init(settings: CompressionSettings) { self.settings = settings }

  /// Why a criterion cannot run.
  public enum Failure: Error, CustomStringConvertible, Equatable {
    /// The Taylor criterion was asked without a loss.
    case taylorNeedsLoss
    public var description: String {
      "The taylor criterion needs the task loss on training batches; the caller passed none (use l1, l2 or bn_scale, or pass a loss)."
    }
  }

  /// Channel counts per group id of `graph` (the reference for ratios in gradual pruning).
  public func channels(of graph: ModelGraph) throws -> [String: Int] {
    Dictionary(try ChannelDependencies.analyze(graph).map { ($0.id, $0.channels) }, uniquingKeysWith: { a, _ in a })
  }

  /// Importance per group id for the configured criterion on `graph`'s current weights.
  /// - Throws: ``Failure/taylorNeedsLoss`` for Taylor without `loss`; ``Graph/PruningError``.
  public func scores(_ graph: ModelGraph, groups: [ChannelGroup], loss: Loss?) throws -> [String: [Float]] {
    var scores: [String: [Float]] = [:]
    switch settings.criterion {
    case .taylor:
      guard let loss else { throw Failure.taylorNeedsLoss }
      return try TaylorImportance.scores(graph: graph, groups: groups, batches: settings.taylorBatches, loss: loss)
    case .l1, .l2, .bnScale:
      for group in groups where group.isPrunable {
        switch settings.criterion {
        case .bnScale: scores[group.id] = try ChannelImportance.batchNormScale(graph, group)
        case .l2: scores[group.id] = try ChannelImportance.filterNorm(graph, group, order: 2)
        default: scores[group.id] = try ChannelImportance.filterNorm(graph, group, order: 1)
        }
      }
      return scores
    }
  }

  /// A planner over `graph` with the settings' rounding, exclusions and maximum ratio.
  public func planner(_ graph: ModelGraph, scores: [String: [Float]] = [:], original: [String: Int] = [:]) throws
    -> PruningPlanner
  {
    try PruningPlanner(
      graph: graph, scores: scores, roundTo: settings.roundTo, exclude: Set(settings.exclude), original: original,
      maxRatio: settings.maxRatio)
  }

  /// The final ratio of every prunable group for the settings' target, on the unpruned graph.
  ///
  /// With a `sensitivity` table, per-group ratios are chosen from its curves
  /// (``Graph/SensitivityTable/ratios(for:what:planner:measure:)``) for a budget: `max_macs`,
  /// else `max_parameters`, else the MACs of the plan the ratio target gives (`ratio` with
  /// `layer_ratios`), so "prune 50 %" saves as many MACs as the uniform plan but takes them from
  /// the groups whose KPI suffers least. Without a table, the planner's plan for the target.
  /// - Throws: ``Graph/PruningError`` (e.g. a budget the output layers alone exceed).
  public func ratios(for graph: ModelGraph, sensitivity: SensitivityTable? = nil) throws -> [String: Double] {
    let planner = try self.planner(graph)
    guard let table = sensitivity else { return try planner.plan(settings.target).ratios }
    if let parameters = settings.maxParameters, settings.maxMACs == nil {
      return try table.ratios(for: parameters, what: "parameter", planner: planner) { $0.totalParameters }
    }
    let macs = try settings.maxMACs ?? planner.cost(of: try planner.plan(settings.target)).totalMACs
    return try table.ratios(for: macs, what: "MAC", planner: planner) { $0.totalMACs }
  }

  /// The sensitivity table of `graph` (each group alone at `sensitivity_ratios`), ranked by the
  /// criterion; `kpi` evaluates a graph on the fixed validation subset (higher is better).
  public func sensitivity(of graph: ModelGraph, loss: Loss?, kpi: (ModelGraph) throws -> Double) throws
    -> SensitivityTable
  {
    let groups = try ChannelDependencies.analyze(graph)
    let planner = try self.planner(graph, scores: try scores(graph, groups: groups, loss: loss))
    return try SensitivityTable.analyze(planner, ratios: settings.sensitivityRatios, kpi: kpi)
  }

  /// `graph` pruned to `fraction` of the final `ratios` (ratios of the `original` channel
  /// counts), keeping the channels the criterion ranks highest on the current weights.
  public func prune(
    _ graph: ModelGraph, ratios: [String: Double], fraction: Double = 1, original: [String: Int] = [:], loss: Loss?
  ) throws -> ModelGraph {
    let groups = try ChannelDependencies.analyze(graph)
    let planner = try self.planner(graph, scores: try scores(graph, groups: groups, loss: loss), original: original)
    let plan = try planner.plan(ratios: ratios.mapValues { $0 * fraction })
    return try ChannelPruning.prune(graph, keep: plan.keep, groups: groups)
  }

  /// The graph to export: BatchNorm folded when `fold_bn` is set.
  public func deploy(_ graph: ModelGraph) throws -> ModelGraph {
    settings.foldBatchNorm ? try FoldBatchNorm.run(graph) : graph
  }
}
