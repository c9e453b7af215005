import Foundation

/// A parallel-coordinates plot: one vertical axis per dimension (e.g. each swept parameter and
/// each objective of a sweep) and one polyline per item crossing every axis at its value, so
/// items with many coordinates can be compared at once. Highlighted items (e.g. the Pareto
/// front) are drawn on top in a second colour.
public struct ParallelCoordinates: Sendable {
  /// How an axis maps values to heights.
  public enum Scale: Sendable, Equatable {
    /// Proportional over a nice range holding the data.
    case linear
    /// Proportional to log10 over whole decades holding the (positive) data, e.g. learning rates.
    case log
    /// Evenly spaced named levels, bottom to top; values are indices into the names.
    case categorical([String])
  }

  /// One axis.
  public struct Dimension: Sendable {
    /// The axis title.
    public var name: String
    public var scale: Scale
    /// One value per item; a non-finite value (or an index outside the categories) is missing
    /// and breaks that item's line at this axis.
    public var values: [Double]
    /// Draws the axis upside down (low values on top), so that "better" is up for an objective
    /// to minimise.
    public var inverted: Bool

    /// Creates an axis.
    public init(name: String, scale: Scale, values: [Double], inverted: Bool = false) {
      (self.name, self.scale, self.values, self.inverted) = (name, scale, values, inverted)
    }

    /// The range the axis spans (log10 units for `.log`, category positions for `.categorical`).
    public var domain: (lower: Double, upper: Double) {
      switch scale {
      case .linear:
        let data = values.filter(\.isFinite)
        let s = NiceScale(minimum: data.min() ?? 0, maximum: data.max() ?? 1, targetTicks: 5)
        return (s.lower, s.upper)
      case .log:
        let logs = values.filter { $0.isFinite && $0 > 0 }.map(log10)
        var lo = (logs.min() ?? 0).rounded(.down)
        var hi = (logs.max() ?? 1).rounded(.up)
        if lo == hi { (lo, hi) = (lo - 1, hi + 1) }
        return (lo, hi)
      case .categorical(let names):
        // level i sits at i + 0.5 of names.count bands, so the end levels keep off the axis ends
        return (0, Double(max(names.count, 1)))
      }
    }

    /// Where `value` sits on the axis: 0 at the bottom, 1 at the top (after inversion), or nil
    /// when it is missing.
    public func fraction(_ value: Double) -> Double? {
      let d = domain
      let position: Double
      switch scale {
      case .linear:
        guard value.isFinite else { return nil }
        position = value
      case .log:
        guard value.isFinite, value > 0 else { return nil }
        position = log10(value)
      case .categorical(let names):
        guard value.isFinite, value >= 0, Int(value) < names.count, value == value.rounded() else { return nil }
        position = value + 0.5
      }
      let t = (position - d.lower) / (d.upper - d.lower)
      return inverted ? 1 - t : t
    }

    /// The ticks of the axis: (value, label). Linear axes use nice steps; log axes each decade
    /// (with 2× and 5× when the axis spans at most two decades); categorical axes every name.
    public var ticks: [(value: Double, label: String)] {
      switch scale {
      case .linear:
        let d = domain
        let s = NiceScale(fixedLower: d.lower, fixedUpper: d.upper, targetTicks: 5)
        return s.ticks.map { ($0, TickFormatter.label($0, scale: s)) }
      case .log:
        let d = domain
        let multiples: [Double] = d.upper - d.lower <= 2 ? [1, 2, 5] : [1]
        var out: [(value: Double, label: String)] = []
        for e in Int(d.lower)...Int(d.upper) {
          for m in multiples where log10(m) + Double(e) <= d.upper + 1e-9 {
            let v = m * pow(10, Double(e))
            out.append((v, TickFormatter.compact(v, significant: 2)))
          }
        }
        return out
      case .categorical(let names):
        return names.enumerated().map { (Double($0.offset), $0.element) }
      }
    }
  }

  public var dimensions: [Dimension]
  /// Whether each item is highlighted (missing entries are not).
  public var highlighted: [Bool]
  /// Legend names of the plain and the highlighted items.
  public var itemName: String, highlightName: String

  /// Creates the plot; every dimension should hold one value per item.
  public init(
    dimensions: [Dimension], highlighted: [Bool] = [], itemName: String = "items",
    highlightName: String = "highlighted"
  ) {
    (self.dimensions, self.highlighted) = (dimensions, highlighted)
    (self.itemName, self.highlightName) = (itemName, highlightName)
  }

  /// The number of items (the longest dimension).
  public var itemCount: Int { dimensions.map(\.values.count).max() ?? 0 }
}
