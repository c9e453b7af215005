import Graph

/// Where one fused layer of a model runs on the K210 and why: the result of ``K210Partition``.
public struct K210Layer: Codable, Equatable, Sendable {
  /// The processor a layer runs on.
  public enum Processor: String, Codable, Sendable {
    /// The KPU (convolution, BN, activation table and pooling in one pass).
    case kpu
    /// A RISC-V core (nncase's stackvm / CPU kernels).
    case cpu
  }

  /// The layer's name (its first node).
  public var name: String
  /// The graph nodes fused into it, in order.
  public var nodes: [String]
  /// A short description, e.g. `conv 3×3 + BatchNorm + LeakyReLU + MaxPool 2×2/2`.
  public var summary: String
  /// KPU or CPU.
  public var processor: Processor
  /// CPU work nncase adds around a KPU layer, or what a CPU op is (sentences).
  public var notes: [String]
  /// Why the layer cannot run on the KPU (empty for KPU layers).
  public var violations: [K210Violation]
  /// Input and output shapes (batch 1), NCHW.
  public var inputShape: [Int], outputShape: [Int]
  /// Multiply-accumulates per image (for a KPU layer on a map padded to 4×4, those of the padded
  /// map, which the KPU computes).
  public var macs: Int
  /// Bytes of parameters in main memory: uint8 weights, 8-byte BN words and a 256-byte-aligned
  /// activation table for KPU layers; float32 for CPU ops.
  public var parameterBytes: Int
  /// The values the layer reads and writes (graph value names).
  public var inputs: [String], output: String

  /// A layer from all its fields (``K210Partition`` makes them from a graph; the kmodel writer
  /// describes its own KPU layers to ``KPUMemoryPlan`` with it).
  public init(
    name: String, nodes: [String], summary: String, processor: Processor, notes: [String] = [],
    violations: [K210Violation] = [], inputShape: [Int], outputShape: [Int], macs: Int = 0, parameterBytes: Int = 0,
    inputs: [String], output: String
  ) {
    (self.name, self.nodes, self.summary, self.processor, self.notes) = (name, nodes, summary, processor, notes)
    (self.violations, self.inputShape, self.outputShape, self.macs) = (violations, inputShape, outputShape, macs)
    (self.parameterBytes, self.inputs, self.output) = (parameterBytes, inputs, output)
  }
}

/// One nncase 1.9 acceptance rule a layer breaks: which rule, its limit and the layer's value.
public struct K210Violation: Codable, Equatable, Sendable, CustomStringConvertible {
  /// The rule, e.g. `kernel size`.
  public var rule: String
  /// What the KPU accepts.
  public var limit: String
  /// What the layer has.
  public var value: String

  /// Creates a violation.
  public init(_ rule: String, limit: String, value: String) {
    (self.rule, self.limit, self.value) = (rule, limit, value)
  }

  public var description: String { "\(rule): the KPU accepts \(limit), this layer has \(value)" }
}
