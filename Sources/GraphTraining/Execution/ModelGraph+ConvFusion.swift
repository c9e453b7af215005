import Autograd
import Graph

/// A convolution whose only consumer is a BatchNorm, optionally followed by the activation
/// fused into that BatchNorm (``ModelGraph/batchNormActivationPairs()``) and then by a 2×2,
/// stride-2 max pool. In inference without gradients the executor evaluates the chain as one
/// convolution whose epilogue normalises, activates and pools
/// (``Autograd/Variable/conv2dBatchNorm(weight:bias:_:gamma:beta:state:training:activation:maxPool:)``),
/// so neither the convolution output nor the normalised values are stored; in training, the
/// normalisation and the pool run as one op, so the full-size normalised values are not.
public struct ConvBatchNormChain: Equatable, Sendable {
  /// The Conv node.
  public let conv: String
  /// The BatchNorm node that reads it.
  public let batchNorm: String
  /// The activation node that reads the BatchNorm, when the pair is fusable.
  public let activationNode: String?
  /// What that activation computes.
  public let activation: BatchNormKernel.Activation?
  /// The 2×2, stride-2 max pool (no padding, floor mode) that reads the last of these, if any.
  public let maxPool: String?

  /// Creates a chain.
  public init(
    conv: String, batchNorm: String, activationNode: String? = nil, activation: BatchNormKernel.Activation? = nil,
    maxPool: String? = nil
  ) {
    (self.conv, self.batchNorm, self.activationNode, self.activation) = (conv, batchNorm, activationNode, activation)
    self.maxPool = maxPool
  }
}

extension ModelGraph {
  /// The Conv → BatchNorm (→ activation) (→ max pool) chains that can run as one step, in
  /// node order: the Conv's output is read by exactly one node, that node is a
  /// BatchNorm reading only it, and the intermediate is not a graph output; the activation is
  /// included when the BatchNorm forms a pair of ``batchNormActivationPairs()``, and a max pool
  /// when it is 2×2, stride 2, without padding or ceil mode and the only reader of the chain's
  /// last value, which is not a graph output. A pure function of the graph.
  public func convBatchNormChains() -> [ConvBatchNormChain] {
    var readers: [String: [Node]] = [:]
    for node in nodes { for input in node.inputs { readers[input, default: []].append(node) } }
    let outputNames = Set(outputs.map(\.name))
    let pairs = Dictionary(batchNormActivationPairs().map { ($0.batchNorm, $0) }, uniquingKeysWith: { a, _ in a })
    var chains: [ConvBatchNormChain] = []
    for node in nodes where node.op == .conv && node.outputs.count == 1 {
      let value = node.outputs[0]
      guard !outputNames.contains(value), let consumers = readers[value], consumers.count == 1,
        consumers[0].op == .batchNorm, consumers[0].inputs == [value]
      else { continue }
      let pair = pairs[consumers[0].name]
      let last = pair.flatMap { pair in nodes.first { $0.name == pair.activationNode } } ?? consumers[0]
      var pool: String? = nil
      if last.outputs.count == 1, !outputNames.contains(last.outputs[0]), let poolReaders = readers[last.outputs[0]],
        poolReaders.count == 1, poolReaders[0].op == .maxPool, poolReaders[0].inputs == last.outputs,
        Conv2D.Epilogue.isPlainMaxPool2x2(poolReaders[0].poolParameters),
        let pooledShape = shape(of: last.outputs[0]), pooledShape.count == 4, pooledShape[2] >= 2,
        pooledShape[3] >= 2  // the epilogue pools whole 2×2 windows only
      {
        pool = poolReaders[0].name
      }
      chains.append(
        ConvBatchNormChain(
          conv: node.name, batchNorm: consumers[0].name, activationNode: pair?.activationNode,
          activation: pair?.activation, maxPool: pool))
    }
    return chains
  }
}
