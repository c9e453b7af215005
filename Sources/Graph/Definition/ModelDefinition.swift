import Foundation
import Support

/// A model written as a JSON layer list that users can read and edit, in the spirit of
/// Darknet `.cfg` files and Ultralytics model YAML:
///
/// ```json
/// { "version": 1, "name": "tiny", "classes": 10, "channelMultiple": 8,
///   "input": { "name": "image", "channels": 3, "height": 32, "width": 32, "sizeMultiple": 8 },
///   "layers": [
///     { "type": "conv", "filters": 16, "kernel": 3, "batchNorm": true, "activation": "relu" },
///     { "type": "maxpool", "kernel": 2 },
///     { "type": "repeat", "count": 2, "layers": [ { "type": "conv", "filters": 32, "kernel": 3 } ] },
///     { "type": "gap" }, { "type": "flatten" },
///     { "type": "dense", "units": "classes", "output": "logits" } ] }
/// ```
///
/// Each layer reads the previous layer's output unless `from` names another: a negative index
/// counts back from the layer (`-1` is the previous one), a non-negative index is absolute (in
/// the list after repeats are expanded), and a string is a layer name (the most recent layer so
/// named) or the input's name. The layer types and their fields are documented on
/// ``DefinitionBuilder``. Errors name the layer index and the field.
public struct ModelDefinition: Equatable, Sendable {
  /// The definition format version this build reads.
  public static let currentVersion = 1

  /// The model's name.
  public var name: String
  /// One paragraph saying what the model is and where it comes from.
  public var description: String?
  /// The class count used by fields written as `"classes"` and by YOLO heads.
  public var classes: Int?
  /// The input: name, channels, height, width and the multiple its size is rounded to.
  public var input: (name: String, channels: Int, height: Int, width: Int, sizeMultiple: Int)
  /// The multiple scaled channel counts are rounded to.
  public var channelMultiple: Int
  /// The layers, as written.
  public var layers: [JSONValue]
  /// The JSON text the definition was read from (stored with weights and hashed).
  public var source: String

  public static func == (a: ModelDefinition, b: ModelDefinition) -> Bool { a.source == b.source }

  /// Reads a definition from JSON text.
  /// - Parameters:
  ///   - text: the JSON.
  ///   - origin: a file name or zoo name used in error messages until the name is known.
  /// - Throws: ``DefinitionError`` naming the field.
  public static func parse(_ text: String, origin: String = "model") throws -> ModelDefinition {
    let value: JSONValue
    do {
      value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    } catch {
      throw DefinitionError(model: origin, "is not valid JSON (\(error.localizedDescription)).")
    }
    guard let top = value.objectValue else { throw DefinitionError(model: origin, "must be a JSON object.") }
    let model = top["name"]?.stringValue ?? origin
    func fail(_ field: String, _ message: String) -> DefinitionError {
      DefinitionError(model: model, field: field, message)
    }
    let known: Set = ["version", "name", "description", "classes", "input", "channelMultiple", "layers"]
    if let unknown = top.keys.sorted().first(where: { !known.contains($0) }) {
      throw fail(unknown, "is not a top-level field (known: \(known.sorted().joined(separator: ", "))).")
    }
    guard let version = top["version"]?.intValue else { throw fail("version", "is required (\(currentVersion)).") }
    guard version == currentVersion else {
      throw fail("version", "\(version) is not supported; this build reads version \(currentVersion).")
    }
    guard let name = top["name"]?.stringValue, !name.isEmpty else {
      throw fail("name", "is required (a non-empty string).")
    }
    var classes: Int?
    if let raw = top["classes"] {
      guard let c = raw.intValue, c > 0 else { throw fail("classes", "must be a positive integer, got \(raw).") }
      classes = c
    }
    guard let input = top["input"]?.objectValue else {
      throw fail("input", "is required: {\"name\", \"channels\", \"height\", \"width\"}.")
    }
    func inputInt(_ key: String, default value: Int? = nil) throws -> Int {
      guard let raw = input[key] else {
        if let value { return value }
        throw fail("input.\(key)", "is required (a positive integer).")
      }
      guard let v = raw.intValue, v > 0 else { throw fail("input.\(key)", "must be a positive integer, got \(raw).") }
      return v
    }
    let inputKnown: Set = ["name", "channels", "height", "width", "sizeMultiple"]
    if let unknown = input.keys.sorted().first(where: { !inputKnown.contains($0) }) {
      throw fail("input.\(unknown)", "is not an input field (known: \(inputKnown.sorted().joined(separator: ", "))).")
    }
    var multiple = 8
    if let raw = top["channelMultiple"] {
      guard let m = raw.intValue, m > 0 else {
        throw fail("channelMultiple", "must be a positive integer, got \(raw).")
      }
      multiple = m
    }
    guard let layers = top["layers"]?.arrayValue, !layers.isEmpty else {
      throw fail("layers", "is required (a non-empty list of layers).")
    }
    return ModelDefinition(
      name: name, description: top["description"]?.stringValue, classes: classes,
      input: (
        input["name"]?.stringValue ?? "image", try inputInt("channels"), try inputInt("height"),
        try inputInt("width"), try inputInt("sizeMultiple", default: 1)
      ),
      channelMultiple: multiple, layers: layers, source: text)
  }

  /// Reads a definition file.
  /// - Throws: `FileSystemError` when the file cannot be read, ``DefinitionError`` when it is
  ///   invalid.
  public static func load(path: String) throws -> ModelDefinition {
    try parse(String(decoding: try FileSystem.read(path, "the model definition"), as: UTF8.self), origin: path)
  }

  /// Builds the graph with the given multipliers.
  /// - Throws: ``DefinitionError`` naming the layer index and field.
  public func build(_ options: BuildOptions = BuildOptions()) throws -> ModelGraph {
    var builder = DefinitionBuilder(definition: self, options: options)
    return try builder.build()
  }

  /// The SHA-256 of the definition's JSON text, in hex (stored with weights and in cache keys).
  public var sha256: String { SHA256.hex(of: source) }
}
