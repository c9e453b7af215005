import Datasets
import Metrics

/// A named choice in an experiment file (`train.optimizer.name`, `evaluate.ap`, …): a string
/// enum whose cases are the only accepted names.
///
/// The one list of cases feeds the JSON Schema (`enum`), validation (the "expected one of …;
/// did you mean …?" message) and the code (an exhaustive `switch`), so a name cannot be
/// accepted by the schema and then silently fall back to a default in a stage.
public protocol SettingChoice: CaseIterable, Codable, Sendable, Equatable, RawRepresentable where RawValue == String {}

extension SettingChoice {
  /// Every accepted name, in declaration order.
  public static var names: [String] { allCases.map(\.rawValue) }
}

extension Schema {
  /// A string that must be one of `C`'s names.
  static func choice<C: SettingChoice>(_ type: C.Type, _ doc: String) -> Schema {
    .string(choices: C.names, doc: doc)
  }
}

// Library enums used directly as settings (the library owns the names).
extension APDefinition: SettingChoice {}
extension DistanceMetric: SettingChoice {}
