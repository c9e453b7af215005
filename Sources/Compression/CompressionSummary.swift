import Graph

/// What compression cost and saved, per layer and in total: the `compression.json` artifact's
/// content and the report's before/after table.
public struct CompressionSummary: Codable, Equatable, Sendable {
  /// One node of the unpruned graph, before and after.
  public struct Layer: Codable, Equatable, Sendable {
    /// The node's name.
    public var node: String
    /// Its op kind.
    public var op: OpKind
    /// Output channels (axis 1 of its output) before and after.
    public var channels: [Int]
    /// Trainable parameters before and after.
    public var parameters: [Int]
    /// Multiply-accumulates per sample before and after.
    public var macs: [Int]
    /// Output activation bytes (float32) before and after.
    public var activationBytes: [Int]
  }

  /// Whole-model figures.
  public struct Totals: Codable, Equatable, Sendable {
    /// Trainable parameters.
    public var parameters: Int
    /// Multiply-accumulates per sample.
    public var macs: Int
    /// Peak activation memory of running the nodes in order (``CostReport``).
    public var peakActivationBytes: Int
    /// Bytes of every stored tensor as float32 (parameters and BatchNorm statistics): the
    /// payload of the weight file.
    public var weightBytes: Int

    init(_ report: CostReport) {
      parameters = report.totalParameters
      macs = report.totalMACs
      peakActivationBytes = report.peakActivationBytes
      weightBytes = 4 * (report.totalParameters + report.totalBuffers)
    }
  }

  /// One channel group, before and after.
  public struct Group: Codable, Equatable, Sendable {
    /// The group id.
    public var id: String
    /// Channels before and after.
    public var channels: [Int]
  }

  /// Per node of the unpruned graph (after = 0 for nodes the pruned graph lacks).
  public var layers: [Layer]
  /// Per prunable group of the unpruned graph.
  public var groups: [Group]
  /// The unpruned model.
  public var before: Totals
  /// The pruned model (BatchNorm still separate, as it fine-tunes).
  public var after: Totals
  /// The exported model (BatchNorm folded when asked), when given.
  public var deployed: Totals?
  /// The final ratio asked of each group (``Compressor/ratios(for:sensitivity:)``), when given.
  public var ratios: [String: Double]?

  /// Compares `before` with `after` (same node names; pruning keeps them) and `deployed`;
  /// `ratios` are recorded as given.
  public init(
    before: ModelGraph, after: ModelGraph, deployed: ModelGraph? = nil, ratios: [String: Double]? = nil
  ) throws {
    self.ratios = ratios
    let (b, a) = (try CostAnalysis.analyze(before), try CostAnalysis.analyze(after))
    let rows = Dictionary(a.layers.map { ($0.node, $0) }, uniquingKeysWith: { x, _ in x })
    let channel = { (shape: [Int]) in shape.count > 1 ? shape[1] : 0 }
    layers = b.layers.map { l in
      let n = rows[l.node]
      return Layer(
        node: l.node, op: l.op, channels: [channel(l.outputShape), n.map { channel($0.outputShape) } ?? 0],
        parameters: [l.parameters, n?.parameters ?? 0], macs: [l.macs, n?.macs ?? 0],
        activationBytes: [l.activationBytes, n?.activationBytes ?? 0])
    }
    let afterGroups = Dictionary(
      try ChannelDependencies.analyze(after).map { ($0.id, $0.channels) }, uniquingKeysWith: { x, _ in x })
    groups = try ChannelDependencies.analyze(before).filter(\.isPrunable).map {
      Group(id: $0.id, channels: [$0.channels, afterGroups[$0.id] ?? 0])
    }
    self.before = Totals(b)
    self.after = Totals(a)
    self.deployed = try deployed.map { Totals(try CostAnalysis.analyze($0)) }
  }
}
