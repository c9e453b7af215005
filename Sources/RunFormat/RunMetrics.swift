/// `metrics.json`: flat KPIs per variant (`float`, then `quantized`, `hardware` when those
/// stages ran) and a definition sentence per KPI.
public struct RunMetrics: Codable, Equatable, Sendable {
  /// Variants in display order, each with its KPIs (`nil` for a KPI recorded as null).
  public var variants: [Variant]
  /// What each KPI means, e.g. `"AP@0.5, coco101 (…)"`.
  public var definitions: [String: String]

  /// The KPIs of one model variant.
  public struct Variant: Codable, Equatable, Sendable {
    /// `float`, `quantized`, `hardware`, …
    public var name: String
    /// KPI values by name.
    public var values: [String: Double]

    /// Creates a variant.
    public init(name: String, values: [String: Double]) {
      self.name = name
      self.values = values
    }
  }

  /// Creates metrics.
  public init(variants: [Variant], definitions: [String: String] = [:]) {
    self.variants = variants
    self.definitions = definitions
  }

  /// Variant names in the order reports show them.
  static let knownOrder = ["float", "quantized", "hardware", "k210"]

  /// KPI names in the order reports show them: well-known ones first, then alphabetical.
  public var metricNames: [String] { RunMetrics.ordered(Set(variants.flatMap(\.values.keys))) }

  /// `names` in display order: well-known KPIs first, then alphabetical.
  public static func ordered(_ names: Set<String>) -> [String] {
    let preferred = [
      "map50", "map50_95", "map75", "precision", "recall", "f1", "accuracy", "top5", "map", "auc",
      "eer", "latency_ms", "fps",
    ]
    return preferred.filter(names.contains) + names.subtracting(preferred).sorted()
  }

  /// The value of `metric` in `variant`, if recorded.
  public func value(_ metric: String, variant: String) -> Double? {
    variants.first { $0.name == variant }?.values[metric]
  }

  /// Decodes `{"float": {…}, "quantized": {…}, "definitions": {…}}`; non-numeric KPI values
  /// are left out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: AnyKey.self)
    definitions = try c.decodeIfPresent([String: String].self, forKey: AnyKey("definitions")) ?? [:]
    let names = c.allKeys.map(\.stringValue).filter { $0 != "definitions" }
    let ordered =
      RunMetrics.knownOrder.filter(names.contains)
      + names.filter { !RunMetrics.knownOrder.contains($0) }.sorted()
    variants = try ordered.map { name in
      let inner = try c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey(name))
      return Variant(name: name, values: inner.numbers())
    }
  }

  /// Encodes in the same shape it decodes.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    for v in variants { try c.encode(v.values, forKey: AnyKey(v.name)) }
    try c.encode(definitions, forKey: AnyKey("definitions"))
  }
}
