import Graph

/// A quantized model: the (BatchNorm-folded) graph whose conv and dense parameters now hold
/// integers (int8 weights, int32 biases), the side table giving every quantized tensor's
/// scale and zero point, and the activations fused into the preceding layer's requantization.
/// Codable, so a stage can write it next to `model.json`.
public struct QuantizedModel: Codable, Equatable, Sendable {
  /// The graph; quantized layers' parameters are integer typed, the
  /// other parameters keep their float values.
  public var graph: ModelGraph
  /// Scales and zero points by tensor name.
  public var table: QuantizationTable
  /// Conv/Dense node name → name of the ReLU or ReLU6 node it absorbs: the layer requantizes
  /// straight into the activation's output format and clamps, and the activation node only
  /// forwards its input.
  public var fusedActivations: [String: String]
  /// The calibrated range of every value of the float graph the model was quantized from
  /// (nil in models built by hand). Schemes whose executor derives its integer layers from the
  /// float graph (``K210Executor``) rebuild them from these.
  public var ranges: [String: ClosedRange<Float>]?
  /// The options the model was quantized with (nil in models built by hand, or written before
  /// the field existed). Executors read the settings that change their arithmetic from here
  /// (`gap8-pow2`'s ``QuantizationOptions/doublePrecision``).
  public var options: QuantizationOptions?
  /// Creates a model from its parts.
  public init(
    graph: ModelGraph, table: QuantizationTable, fusedActivations: [String: String],
    ranges: [String: ClosedRange<Float>]? = nil, options: QuantizationOptions? = nil
  ) {
    self.graph = graph
    self.table = table
    self.fusedActivations = fusedActivations
    self.ranges = ranges
    self.options = options
  }

  /// The name of the value whose format a node's output takes: the fused activation's output
  /// for a fused layer, the node's own output otherwise.
  public func storedOutput(of node: Node) -> String {
    if let act = fusedActivations[node.name], let actNode = graph.node(named: act) { return actNode.outputs[0] }
    return node.outputs[0]
  }

  /// The format of the codes the integer executor holds for `value`: its table entry, or, for
  /// the output of a layer with a fused activation, the activation's output format.
  public func codeFormat(of value: String) -> TensorQuantization? {
    if let q = table[value] { return q }
    guard let producer = graph.nodes.first(where: { $0.outputs.contains(value) }) else { return nil }
    return table[storedOutput(of: producer)]
  }
}
