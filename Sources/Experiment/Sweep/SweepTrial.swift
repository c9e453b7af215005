import Foundation
import Support

/// One point of a sweep: the space's values, the overrides that make its experiment, the
/// resolved experiment, and its id (a hash of that experiment, so the same settings are the same
/// trial in every sweep that reaches them).
public struct SweepTrial: Sendable {
  /// Position in the sweep's order (grid order, or draw number for random search).
  public var index: Int
  /// The space's value for each path, in space order.
  public var values: [(path: String, value: JSONValue)]
  /// The sweep's fixed overrides followed by `path=value` for each value.
  public var overrides: [String]
  /// The trial's experiment, named after the trial id (the name does not enter any cache key).
  public var experiment: ResolvedExperiment
  /// The first 16 hex digits of SHA-256 of the resolved experiment's canonical JSON (before it
  /// is renamed).
  public var id: String

  /// `model.width=0.25 train.optimizer.lr=0.001`, for listings.
  public var label: String { values.map { "\($0.path)=\($0.value.canonical)" }.joined(separator: " ") }

  /// The id of `experiment`: its resolved document hashed.
  public static func id(of experiment: ResolvedExperiment) -> String {
    String(SHA256.hex(of: experiment.document.canonical).prefix(16))
  }
}
