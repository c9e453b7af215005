/// `stages/check-k210/k210-check.json`: what a report shows of the static K210 check (the K210
/// target writes the full check; this is the part the report reads).
public struct K210CheckSummary: Codable, Equatable, Sendable {
  /// One fused layer's placement.
  public struct Layer: Codable, Equatable, Sendable {
    /// The layer's name (its first node).
    public var name: String
    /// `kpu` or `cpu`.
    public var processor: String
    /// What the layer is, e.g. `conv 3×3 + BatchNorm + LeakyReLU + MaxPool 2×2/2`.
    public var summary: String
    /// Output shape, batch first.
    public var outputShape: [Int]
    /// CPU work around a KPU layer, or what a CPU op is.
    public var notes: [String]
    /// The KPU rules a CPU fallback breaks.
    public var violations: [Violation]

    /// Creates a layer record.
    public init(
      name: String, processor: String, summary: String, outputShape: [Int], notes: [String], violations: [Violation]
    ) {
      (self.name, self.processor, self.summary, self.outputShape) = (name, processor, summary, outputShape)
      (self.notes, self.violations) = (notes, violations)
    }
  }

  /// A broken KPU rule.
  public struct Violation: Codable, Equatable, Sendable {
    /// The rule, its limit and the layer's value.
    public var rule: String, limit: String, value: String

    /// Creates a violation record.
    public init(rule: String, limit: String, value: String) {
      (self.rule, self.limit, self.value) = (rule, limit, value)
    }
  }

  /// The KPU RAM plan's totals.
  public struct KPU: Codable, Equatable, Sendable {
    /// The most bytes resident at once, and the highest byte used.
    public var peakBytes: Int, highWater: Int

    /// Creates the totals.
    public init(peakBytes: Int, highWater: Int) { (self.peakBytes, self.highWater) = (peakBytes, highWater) }
  }

  /// The limits checked against.
  public struct Limits: Codable, Equatable, Sendable {
    /// KPU RAM, main RAM and the reserve for the application, in bytes.
    public var kpuRAM: Int, mainRAM: Int, reserve: Int

    /// Creates the limits.
    public init(kpuRAM: Int, mainRAM: Int, reserve: Int) {
      (self.kpuRAM, self.mainRAM, self.reserve) = (kpuRAM, mainRAM, reserve)
    }
  }

  /// The model's name.
  public var model: String
  /// The layers in execution order.
  public var layers: [Layer]
  /// The KPU RAM plan.
  public var kpu: KPU
  /// Main memory for parameters and for CPU-side tensors.
  public var modelBytes: Int, activationBytes: Int
  /// The limits.
  public var limits: Limits
  /// Why the model does not fit (empty when it does).
  public var problems: [String]

  /// Creates a summary.
  public init(
    model: String, layers: [Layer], kpu: KPU, modelBytes: Int, activationBytes: Int, limits: Limits, problems: [String]
  ) {
    (self.model, self.layers, self.kpu, self.modelBytes) = (model, layers, kpu, modelBytes)
    (self.activationBytes, self.limits, self.problems) = (activationBytes, limits, problems)
  }
}
