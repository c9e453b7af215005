/// A problem in a JSON model definition, naming the layer (by its index path, e.g.
/// `layers[3]` or `layers[5].layers[1]`, and its name) and the field, with a sentence saying
/// what is expected.
public struct DefinitionError: Error, CustomStringConvertible, Equatable {
  /// The definition's name (or file) when known.
  public var model: String
  /// The layer's index path (`[3]` for `layers[3]`, `[5, 1]` for `layers[5].layers[1]`), or
  /// nil for top-level fields.
  public var layerPath: [Int]?
  /// The layer's name, when it has one.
  public var layerName: String?
  /// The offending field, or nil when the problem is the layer as a whole.
  public var field: String?
  /// What is wrong and what is expected.
  public var message: String

  /// Creates an error.
  public init(model: String, layerPath: [Int]? = nil, layerName: String? = nil, field: String? = nil, _ message: String)
  {
    self.model = model
    self.layerPath = layerPath
    self.layerName = layerName
    self.field = field
    self.message = message
  }

  /// The layer's JSON path, e.g. `layers[5].layers[1]`.
  public var layerJSONPath: String? {
    layerPath.map { $0.map { "layers[\($0)]" }.joined(separator: ".") }
  }

  public var description: String {
    var location = "Model definition '\(model)'"
    if let layerPath { location += ", layer " + layerPath.map(String.init).joined(separator: ".") }
    if let layerName { location += " ('\(layerName)')" }
    if let field { location += ", field '\(field)'" }
    return location + ": " + message
  }
}
