import Autograd
import Foundation
import Graph
import GraphTraining
import Training

/// A Workbench graph as the benchmark workers time it: a training step is forward (BatchNorm
/// with batch statistics) + loss (the sum over outputs of the mean of squares) + backward + SGD
/// (momentum 0.9, weight decay 5e-4 on weights only, lr 0.01); an inference step is forward in
/// inference mode with no graph recorded. `Benchmarks/torch_graph.py` builds the same module
/// from the same graph file and does the same steps.
public final class GraphStep {
  let executor: GraphExecutor
  let parameters: [TrainableParameter]
  var optimizer = Optimizer(.sgd(SGD(momentum: 0.9, weightDecay: 5e-4)))
  let input: Tensor<Float>
  let inputName: String

  /// The executor of `graph` (parameters initialised from seed 1) and a random batch of `batch`.
  public init(graph: ModelGraph, batch: Int) throws {
    executor = try GraphExecutor(graph: graph, random: RandomStream(seed: 1).split("init"))
    parameters = TrainableParameter.groups(executor.parameters)
    guard let first = graph.inputs.first else { throw BenchModelError("the graph \(graph.name) has no input") }
    inputName = first.name
    var rng = RandomStream(seed: 1).split("bench-input")
    input = Tensor<Float>.normal([batch] + first.shape.dropFirst(), rng: &rng)
  }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.variable.value.count } }

  public func trainStep() {
    for p in parameters { p.variable.zeroGrad() }
    do {  // the step's graph is freed before the update, as `Trainer` does (else every weight is copied)
      let outputs = executor.forward(inputs: [inputName: Variable(input)], training: true)
      let terms = outputs.keys.sorted().compactMap { outputs[$0]?.squared().mean() }
      guard var loss = terms.first else { return }
      for t in terms.dropFirst() { loss = loss + t }
      loss.backward()
    }
    optimizer.step(parameters, learningRate: 0.01)
  }

  public func inferStep() {
    _ = withoutGradients { executor.forward(inputs: [inputName: Variable(input)], training: false) }
  }
}

/// A benchmark model that cannot be built.
public struct BenchModelError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// The graph files the benchmarks hand to both workers.
public enum BenchGraphs {
  /// Writes `graph` as JSON with every attribute spelled out (schema defaults filled in), so the
  /// PyTorch builder needs no copy of Workbench's defaults.
  public static func write(_ graph: ModelGraph, to url: URL) throws {
    var g = graph
    for i in g.nodes.indices {
      for spec in g.nodes[i].op.semantics.schema.attributes where g.nodes[i].attributes[spec.name] == nil {
        g.nodes[i].attributes[spec.name] = spec.defaultValue
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try encoder.encode(g).write(to: url)
  }

  /// A temporary folder for the graph files of this run.
  public static func scratchFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }
}
