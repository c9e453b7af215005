import Autograd
import Graph

/// Where and how a graph is fake-quantized while it trains (quantization-aware training): the
/// rounding points of Quantization's `int8` scheme, at `bits` bits, with frozen calibrated
/// ranges. Set it as ``GraphExecutor/simulation`` and the executor's forward pass (training and
/// inference) computes what the quantized model will, in float, with STE gradients.
///
/// The rounding points (`Int8Quantizer`'s): every graph input; every conv/dense weight (per
/// output channel, symmetric) and bias (on the grid s_in·s_w); every conv/dense output — or,
/// when a ReLU/ReLU6 alone reads it (and it is not a graph output), the activation's output
/// instead (the layer requantizes into the activation's format); add, concat, leaky ReLU,
/// sigmoid, tanh, L2-normalize and unfolded BatchNorm in their own format; max/average pools,
/// upsample, flatten, reshape, dropout, identity and unfused ReLUs in their input's format.
///
/// Give it the BatchNorm-folded graph that is quantized: a BatchNorm left in the graph is a
/// float island in its own format, but one followed by a leaky ReLU runs as the executor's fused
/// BatchNorm+activation step, whose intermediate is then not rounded.
///
/// Ranges are frozen (those the quantizer will use): the trained weights adapt to the grid the
/// deployed model has, and a resumed fine-tuning needs no state beyond the weights. At
/// `bits` = 8 the simulation's inference equals Quantization's `FakeQuantExecutor` on the
/// `int8` model quantized with the same ranges (a test asserts it).
public struct QuantizationSimulation: Sendable {
  /// The bit width of weights and activations.
  public let bits: Int
  /// Weights get one scale per output channel (true) or per tensor.
  public let perChannel: Bool
  /// The format of each value that is rounded, by value name.
  public let formats: [String: ActivationFormat]
  /// Conv/dense node name → the ReLU/ReLU6 node whose output format it requantizes into.
  public let fusedActivations: [String: String]

  /// Ops whose output keeps the input's format.
  static let passthrough: Set<OpKind> = [
    .maxPool, .avgPool, .globalAvgPool, .upsample, .flatten, .reshape, .dropout, .identity,
  ]

  /// The simulation of `graph` (BatchNorm folded where it can be) with the calibrated
  /// `ranges` of its values.
  /// - Throws: ``GraphTrainingError/invalidQuantization(graph:message:)`` for a bit width
  ///   outside 2…24 or a value without a range.
  public init(
    graph: ModelGraph, ranges: [String: ClosedRange<Float>], bits: Int, perChannel: Bool = true
  ) throws {
    guard (2...24).contains(bits) else {
      throw GraphTrainingError.invalidQuantization(
        graph: graph.name, message: "the bit width must be between 2 and 24, got \(bits).")
    }
    self.bits = bits
    self.perChannel = perChannel
    let fused = graph.fusedReLUs()
    let fusedOutputs = Set(graph.nodes.filter { fused[$0.name] != nil }.map { $0.outputs[0] })
    func own(_ name: String) throws -> ActivationFormat {
      guard let r = ranges[name] else {
        throw GraphTrainingError.invalidQuantization(
          graph: graph.name, message: "value '\(name)' has no calibrated range (calibrate the graph that is trained).")
      }
      return ActivationFormat(range: r, bits: bits)
    }
    var formats: [String: ActivationFormat] = [:]
    for input in graph.inputs { formats[input.name] = try own(input.name) }
    for node in graph.nodes {
      let out = node.outputs[0]
      switch node.op {
      case .conv, .dense:
        if !fusedOutputs.contains(out) { formats[out] = try own(out) }
      case .relu, .relu6:
        formats[out] = fusedOutputs.contains(node.inputs[0]) ? try own(out) : formats[node.inputs[0]]
      case _ where Self.passthrough.contains(node.op):
        formats[out] = formats[node.inputs[0]]
      default:
        formats[out] = try own(out)
      }
    }
    self.formats = formats
    fusedActivations = fused
  }

  /// The value `name` fake-quantized in its format (unchanged when it has none).
  public func value(_ name: String, _ x: Variable) -> Variable {
    formats[name].map { x.fakeQuantized($0) } ?? x
  }

  /// A node's parameters as the quantized model holds them: a conv/dense weight fake-quantized
  /// and its bias on the grid s_in·s_w (s_in of the node's input format); others unchanged.
  public func parameters(of node: Node, _ parameters: [String: Variable]) -> [String: Variable] {
    guard node.op == .conv || node.op == .dense, let w = parameters["weight"] else { return parameters }
    var result = parameters
    let (weight, scales) = w.fakeQuantizedWeight(bits: bits, perChannel: perChannel)
    result["weight"] = weight
    if let b = parameters["bias"], let input = formats[node.inputs[0]] {
      result["bias"] = b.fakeQuantizedBias(scales: scales.map { $0 * input.scale })
    }
    return result
  }
}
