import Support

/// The blocks of a run's `metrics.json`, which gates and sweep objectives address as
/// `block.metric`: one per evaluated model variant (``ModelVariant``), plus one per deployment
/// target check (`k210`: KPU RAM, main memory, KPU time of the static check).
public enum MetricBlocks {
  /// Blocks written by target stages rather than by evaluation.
  public static let targets = ["k210"]

  /// Every block some experiment can produce.
  public static var known: [String] { ModelVariant.allCases.map(\.rawValue) + targets }

  /// The blocks the experiment `document` produces.
  static func produced(by document: JSONValue) -> [String] {
    ["float"] + (document["compress"] != nil ? ["compressed"] : []) + (document["quantize"] != nil ? ["quantized"] : [])
      + (document["export"]?["kmodel"] != nil ? ["kmodel"] : [])
      + (document["simulate"]?["k210"] != nil ? ["k210"] : [])
  }
}
