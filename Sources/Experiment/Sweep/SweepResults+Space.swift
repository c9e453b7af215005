import Foundation
import Support

extension SweepResults {
  /// One axis of the search space as the sweep file gave it, recorded in `trials.json` so the
  /// report can draw log axes for log-uniform ranges and categorical axes for value lists.
  public struct SpaceAxis: Codable, Sendable, Equatable {
    /// How the axis is drawn from.
    public enum Kind: String, Codable, Sendable {
      /// A list of values or a `choice`.
      case values
      case uniform
      case logUniform = "log_uniform"
    }

    /// The `--set` path, e.g. `model.width`.
    public var path: String
    public var kind: Kind
    /// The listed values (`values` only), in the sweep file's order.
    public var values: [JSONValue]?

    public init(path: String, kind: Kind, values: [JSONValue]? = nil) {
      (self.path, self.kind, self.values) = (path, kind, values)
    }

    /// The axes of a sweep's space, in space order.
    public static func axes(of spec: SweepSpec) -> [SpaceAxis] {
      spec.space.map { path, d in
        switch d {
        case .values(let v): return SpaceAxis(path: path, kind: .values, values: v)
        case .uniform: return SpaceAxis(path: path, kind: .uniform)
        case .logUniform: return SpaceAxis(path: path, kind: .logUniform)
        }
      }
    }
  }

  /// The axis of `path`: the recorded one, or for results written without the space (and
  /// multiruns) one inferred from the trials' values: a value list of the distinct values seen.
  public func axis(_ path: String) -> SpaceAxis {
    if let a = space?.first(where: { $0.path == path }) { return a }
    var seen: [JSONValue] = []
    for t in trials {
      if let v = t.settings[path], !seen.contains(v) { seen.append(v) }
    }
    return SpaceAxis(path: path, kind: .values, values: seen)
  }

  /// The swept paths: the recorded space's order, else the trials' settings sorted.
  public var parameterPaths: [String] {
    space?.map(\.path) ?? Array(Set(trials.flatMap(\.settings.keys))).sorted()
  }
}
