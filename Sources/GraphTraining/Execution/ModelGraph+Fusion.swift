import Autograd
import Graph

/// A BatchNorm node whose only consumer is a ReLU or leaky ReLU: the executor evaluates the
/// pair as one fused op (``Autograd/Variable/batchNorm(gamma:beta:state:training:activation:)``),
/// which never stores the normalised intermediate.
public struct BatchNormActivationPair: Equatable, Sendable {
  /// The BatchNorm node.
  public let batchNorm: String
  /// The activation node that reads it.
  public let activationNode: String
  /// What the activation computes.
  public let activation: BatchNormKernel.Activation

  /// Creates a pair.
  public init(batchNorm: String, activationNode: String, activation: BatchNormKernel.Activation) {
    (self.batchNorm, self.activationNode, self.activation) = (batchNorm, activationNode, activation)
  }
}

extension ModelGraph {
  /// The BatchNorm → activation pairs that can be fused, in node order: the BatchNorm's output
  /// is read by exactly one node, that node is a ReLU or a leaky ReLU with slope ≥ 0 (the
  /// fused backward reads the derivative off the output's sign), and the intermediate is not a
  /// graph output. A pure function of the graph.
  public func batchNormActivationPairs() -> [BatchNormActivationPair] {
    var readers: [String: [Node]] = [:]
    for node in nodes { for input in node.inputs { readers[input, default: []].append(node) } }
    let outputNames = Set(outputs.map(\.name))
    var pairs: [BatchNormActivationPair] = []
    for node in nodes where node.op == .batchNorm && node.outputs.count == 1 {
      let value = node.outputs[0]
      guard !outputNames.contains(value), let consumers = readers[value], consumers.count == 1,
        consumers[0].inputs == [value]
      else { continue }
      let next = consumers[0]
      switch next.op {
      case .relu:
        pairs.append(BatchNormActivationPair(batchNorm: node.name, activationNode: next.name, activation: .relu))
      case .leakyRelu where next.float("alpha") >= 0:
        pairs.append(
          BatchNormActivationPair(
            batchNorm: node.name, activationNode: next.name, activation: .leakyRelu(next.float("alpha"))))
      default:
        continue
      }
    }
    return pairs
  }
}
