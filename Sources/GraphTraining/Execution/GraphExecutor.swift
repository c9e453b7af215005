import Autograd
import Graph

/// Runs a ``ModelGraph`` for training: holds every parameter as an autograd `Variable` (by
/// name, in a stable order) and every BatchNorm's running statistics, and evaluates the graph
/// differentiably or with the reference evaluator.
///
/// Parameters that have values in the graph (loaded weights) keep them; the others are
/// initialised from `random`, each from its own stream `random.split("<node>.<role>")`, so the
/// initial model does not depend on the order of parameters: Kaiming uniform (He et al. 2015)
/// for conv weights, Xavier uniform (Glorot & Bengio 2010) for dense weights, zeros for biases,
/// γ = 1, β = 0, running mean 0 and variance 1 for BatchNorm.
public final class GraphExecutor {
  /// The graph structure (its parameter values are those at creation; see ``exportGraph()``).
  public let graph: ModelGraph
  /// The trainable parameters (`"<node>.<role>"`, variable), in node order then role order.
  public let parameters: [(name: String, variable: Variable)]
  /// Running statistics of each BatchNorm node, in node order (the shape `TrainableModel` in
  /// the Training library expects; checkpoints save them).
  public let batchNormStates: [(name: String, state: BatchNormState)]
  /// The stream Dropout masks come from. Each training pass uses `split(index: position)` and
  /// then advances it by one, so the whole Dropout state is this value (saved by checkpoints).
  public var dropoutRandom: RandomStream
  /// Quantization-aware training: when set, ``forward(inputs:training:around:)`` fake-quantizes
  /// the graph inputs, the conv/dense parameters and the node outputs as the simulation says
  /// (straight-through gradients). Nil (the default) leaves the float computation untouched;
  /// ``referenceEvaluate(inputs:)`` and ``exportGraph()`` are always float.
  public var simulation: QuantizationSimulation?

  private let variables: [String: Variable]
  private let statesByNode: [String: BatchNormState]
  /// What ``forward(inputs:training:around:)`` evaluates, in order, worked out once: each node
  /// with its parameters, or a BatchNorm with the activation fused into it (whose outputs then
  /// take the activation node's names; the activation node has no step of its own), or — in
  /// ``fusedSteps`` only — a Conv with the BatchNorm that follows it (and that BatchNorm's
  /// fused activation and max pool).
  private struct Step {
    let node: Node
    let parameters: [String: Variable]
    /// The BatchNorm node run with this Conv as one step (its epilogue in inference), with its
    /// parameters.
    let batchNorm: (node: Node, parameters: [String: Variable])?
    /// The MaxPool node run in that step too.
    let maxPool: Node?
    let fused: BatchNormKernel.Activation?
    let outputs: [String]
    let label: String
  }
  /// The steps of passes with quantization simulation, and of inference passes that record
  /// gradients.
  private let steps: [Step]
  /// The steps of training, and of inference without gradients, when nothing is simulated:
  /// ``steps`` with each chain of ``ModelGraph/convBatchNormChains()`` as one step.
  private let fusedSteps: [Step]
  /// False runs every pass with ``steps`` (for tests that compare the fused passes with the
  /// ops one by one).
  var fusesChains = true

  /// Validates `graph` and creates its parameters.
  /// - Parameters:
  ///   - graph: the model; parameter values present in it are used as they are.
  ///   - random: the stream that initialises missing parameters (e.g. `seed.split("init")`).
  /// - Throws: ``GraphValidationError`` when the graph is invalid,
  ///   ``GraphTrainingError/nonFloatParameter(graph:parameter:elementType:)`` when a parameter
  ///   holds integer (quantized) values, which training cannot update.
  public init(graph: ModelGraph, random: RandomStream = RandomStream(seed: 0)) throws {
    try graph.validate()
    for key in graph.parameters.keys.sorted() {
      guard let type = graph.parameters[key]?.elementType, type != .float32 else { continue }
      throw GraphTrainingError.nonFloatParameter(graph: graph.name, parameter: key, elementType: type)
    }
    self.graph = graph
    dropoutRandom = random.split("dropout")
    var variables: [String: Variable] = [:]
    var ordered: [(name: String, variable: Variable)] = []
    var states: [(name: String, state: BatchNormState)] = []
    let shapes = graph.valueShapes
    for node in graph.nodes {
      let inputShapes = node.inputs.compactMap { shapes[$0] }
      var initial: [String: Tensor<Float>] = [:]
      for spec in node.op.semantics.parameterSpecs(node, inputShapes: inputShapes) {
        let key = Parameter.key(node: node.name, role: spec.role)
        var stream = random.split(key)
        let value = graph.parameters[key]?.value ?? GraphExecutor.initialValue(spec, rng: &stream)
        initial[spec.role] = value
        guard spec.kind == .trainable else { continue }
        let variable = Variable(value, requiresGrad: true)
        variables[key] = variable
        ordered.append((key, variable))
      }
      if node.op == .batchNorm, let mean = initial["running_mean"], let variance = initial["running_var"] {
        let state = BatchNormState(
          channels: mean.count, momentum: node.float("momentum"), epsilon: node.float("epsilon"))
        state.runningMean = mean
        state.runningVar = variance
        states.append((node.name, state))
      }
    }
    self.variables = variables
    self.parameters = ordered
    self.batchNormStates = states
    self.statesByNode = Dictionary(states.map { ($0.name, $0.state) }, uniquingKeysWith: { a, _ in a })
    steps = GraphExecutor.steps(graph, variables, fusingConvolutions: false)
    fusedSteps = GraphExecutor.steps(graph, variables, fusingConvolutions: true)
  }

  /// The steps of `graph`: BatchNorm → activation pairs fused, and with `fusingConvolutions`
  /// also Conv → BatchNorm (→ activation) (→ max pool) chains.
  private static func steps(_ graph: ModelGraph, _ variables: [String: Variable], fusingConvolutions: Bool) -> [Step] {
    let pairs = Dictionary(graph.batchNormActivationPairs().map { ($0.batchNorm, $0) }, uniquingKeysWith: { a, _ in a })
    let chains =
      fusingConvolutions
      ? Dictionary(graph.convBatchNormChains().map { ($0.conv, $0) }, uniquingKeysWith: { a, _ in a }) : [:]
    let fusedAway = Set(pairs.values.map(\.activationNode)).union(chains.values.map(\.batchNorm))
      .union(chains.values.compactMap(\.maxPool))
    let nodesByName = Dictionary(graph.nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    func parameters(_ node: Node) -> [String: Variable] {
      var parameters: [String: Variable] = [:]
      for role in node.op.semantics.parameterRoles {
        if let v = variables[Parameter.key(node: node.name, role: role)] { parameters[role] = v }
      }
      return parameters
    }
    return graph.nodes.filter { !fusedAway.contains($0.name) }.map { node in
      if let chain = chains[node.name], let batchNorm = nodesByName[chain.batchNorm] {
        let activation = chain.activationNode.flatMap { nodesByName[$0] }
        let pool = chain.maxPool.flatMap { nodesByName[$0] }
        let fused = [node, batchNorm] + [activation, pool].compactMap { $0 }
        return Step(
          node: node, parameters: parameters(node), batchNorm: (batchNorm, parameters(batchNorm)), maxPool: pool,
          fused: chain.activation, outputs: fused.last?.outputs ?? batchNorm.outputs,
          label: fused.map(\.op.rawValue).joined(separator: "+"))
      }
      guard let pair = pairs[node.name], let activation = nodesByName[pair.activationNode] else {
        return Step(
          node: node, parameters: parameters(node), batchNorm: nil, maxPool: nil, fused: nil, outputs: node.outputs,
          label: node.op.rawValue)
      }
      return Step(
        node: node, parameters: parameters(node), batchNorm: nil, maxPool: nil, fused: pair.activation,
        outputs: activation.outputs,
        label: "\(node.op.rawValue)+\(activation.op.rawValue)")
    }
  }

  static func initialValue(_ spec: ParameterSpec, rng: inout RandomStream) -> Tensor<Float> {
    switch spec.initializer {
    case .kaimingUniform: return Tensor.kaimingUniform(spec.shape, rng: &rng)
    case .xavierUniform: return Tensor.xavierUniform(spec.shape, rng: &rng)
    case .zeros: return Tensor(zeros: spec.shape)
    case .ones: return Tensor(repeating: 1, shape: spec.shape)
    }
  }

  /// The running statistics of BatchNorm node `name`.
  public func batchNormState(_ name: String) -> BatchNormState? { statesByNode[name] }

  /// Random streams by purpose (`"dropout"`), for checkpoints: set it to resume exactly.
  public var randomStreams: [String: RandomStream] {
    get { ["dropout": dropoutRandom] }
    set { if let stream = newValue["dropout"] { dropoutRandom = stream } }
  }

  /// Evaluates the graph differentiably and returns its outputs by name.
  ///
  /// In training mode BatchNorm normalises with batch statistics and updates its running ones,
  /// and Dropout draws a fresh mask per pass; otherwise the result equals
  /// ``referenceEvaluate(inputs:)``. A BatchNorm followed only by a ReLU or leaky ReLU runs as
  /// one fused op (``ModelGraph/batchNormActivationPairs()``). Without ``simulation``, a Conv
  /// followed only by a BatchNorm (its fused activation, and a max pool) runs as one step
  /// (``ModelGraph/convBatchNormChains()``, `Variable.conv2dBatchNorm`): in inference with
  /// gradient recording off, a convolution that normalises (and pools) its own output; in
  /// training, the convolution then BatchNorm and a 2×2 max pool as one op. The values are those
  /// of the separate ops, to the bit. A missing input is a programmer error.
  ///
  /// - Parameter around: wraps each step (its label — the op kind, `BatchNorm+LeakyReLU` for a
  ///   fused pair, `Conv+BatchNorm+LeakyReLU` for a fused chain — and its computation) and
  ///   returns the step's outputs; for profiling.
  public func forward(
    inputs: [String: Variable], training: Bool,
    around: ((_ label: String, _ step: () -> [Variable]) -> [Variable])? = nil
  ) -> [String: Variable] {
    let stream = dropoutRandom.split(index: Int(dropoutRandom.position))
    if training { _ = dropoutRandom.next() }
    let context = ExecutionContext(training: training, batchNormStates: statesByNode, random: stream)
    var env: [String: Variable] = [:]
    for input in graph.inputs {
      guard let x = inputs[input.name] else {
        preconditionFailure("GraphExecutor.forward: graph '\(graph.name)' needs input '\(input.name)'")
      }
      precondition(
        Array(x.shape.dropFirst()) == Array(input.shape.dropFirst()),
        "GraphExecutor.forward: input '\(input.name)' must be [N, \(input.shape.dropFirst().map(String.init).joined(separator: ", "))], got \(x.shape)"
      )
      env[input.name] = simulation?.value(input.name, x) ?? x
    }
    // inference without gradients: the epilogue; training: BatchNorm + max pool as one op
    let fusesConvolutions = fusesChains && simulation == nil && (training || !GradMode.isEnabled)
    for step in fusesConvolutions ? fusedSteps : steps {
      let node = step.node
      let xs = node.inputs.map { name -> Variable in
        guard let x = env[name] else { preconditionFailure("GraphExecutor.forward: \(name) not computed") }
        return x
      }
      let parameters = simulation?.parameters(of: node, step.parameters) ?? step.parameters
      let compute = { () -> [Variable] in
        if let batchNorm = step.batchNorm {
          return [
            ConvOp.differentiate(
              node, inputs: xs, parameters: parameters, batchNorm: batchNorm.node,
              batchNormParameters: batchNorm.parameters, context: context, activation: step.fused,
              maxPool: step.maxPool)
          ]
        }
        if let activation = step.fused {
          return [
            BatchNormOp.differentiate(
              node, inputs: xs, parameters: parameters, context: context, activation: activation)
          ]
        }
        return node.op.differentiable.differentiate(node, inputs: xs, parameters: parameters, context: context)
      }
      let ys = around.map { $0(step.label, compute) } ?? compute()
      for (output, y) in zip(step.outputs, ys) { env[output] = simulation?.value(output, y) ?? y }
    }
    var results: [String: Variable] = [:]
    for output in graph.outputs { results[output.name] = env[output.name] }
    return results
  }

  /// The reference evaluation (no autograd, inference semantics) with the current parameters.
  public func referenceEvaluate(inputs: [String: Tensor<Float>]) -> [String: Tensor<Float>] {
    do {
      return try exportGraph().evaluate(inputs: inputs)
    } catch {
      preconditionFailure("GraphExecutor.referenceEvaluate: \(error)")
    }
  }

  /// The graph with the current parameter values and running statistics filled in, ready for
  /// passes, quantization, export or a weight file (GraphHDF5's `WeightFile.save`).
  public func exportGraph() -> ModelGraph {
    var out = graph
    for (key, parameter) in graph.parameters {
      var p = parameter
      if let v = variables[key] {
        p.value = v.value
      } else if let dot = key.lastIndex(of: ".") {
        let node = String(key[..<dot]), role = key[key.index(after: dot)...]
        if let state = statesByNode[node] {
          p.value = role == "running_mean" ? state.runningMean : state.runningVar
        }
      }
      out.parameters[key] = p
    }
    return out
  }
}
