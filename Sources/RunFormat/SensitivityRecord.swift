/// `stages/sensitivity/sensitivity.json`: the pruning sensitivity of each channel group — the
/// task KPI on a fixed validation subset after pruning that group alone, without fine-tuning,
/// at each ratio (Li et al. 2017, §4.2; the curves Distiller plots). The same JSON as Graph's
/// `SensitivityTable` with the KPI's name and the subset size.
public struct SensitivityRecord: Codable, Equatable, Sendable {
  /// One point of a curve.
  public struct Point: Codable, Equatable, Sendable {
    /// The ratio asked, channels kept after rounding, and the KPI measured.
    public var ratio: Double, channels: Int, kpi: Double

    /// Creates a point.
    public init(ratio: Double, channels: Int, kpi: Double) {
      (self.ratio, self.channels, self.kpi) = (ratio, channels, kpi)
    }
  }

  /// One channel group's curve.
  public struct Curve: Codable, Equatable, Sendable {
    /// The group id (its first producer's name) and its channels before pruning.
    public var group: String, channels: Int
    /// One point per ratio tried.
    public var points: [Point]

    /// Creates a curve.
    public init(group: String, channels: Int, points: [Point]) {
      (self.group, self.channels, self.points) = (group, channels, points)
    }
  }

  /// The KPI's name in `metrics.json` (`map50`, `top1`).
  public var kpi: String
  /// Validation images the KPI is measured on (the first ones of the split).
  public var samples: Int
  /// The KPI of the unpruned model on that subset.
  public var baseline: Double
  /// The ratios tried.
  public var ratios: [Double]
  /// One curve per prunable group.
  public var curves: [Curve]

  /// Creates a record.
  public init(kpi: String, samples: Int, baseline: Double, ratios: [Double], curves: [Curve]) {
    (self.kpi, self.samples, self.baseline, self.ratios, self.curves) = (kpi, samples, baseline, ratios, curves)
  }
}
