import Foundation
import Support

/// The shipped model definitions, by name: `tiny-yolo` (K210 detector), `squeezenet1.1-reid`
/// (the GAP8 face descriptor), `squeezenet1.1`, `mobilenet-v1` and `mobilenet-tiny` (classifiers; the last a small
/// MobileNet-style network for 32×32 inputs that trains in minutes on a CPU).
///
/// The canonical files are `Experiments/models/<name>.json`. A copy of each is compiled in
/// (``ModelZoo/embedded``, checked identical by a test), so the library works from any
/// directory; a file on disk takes precedence so that a user's edits are used. Lookup order:
/// an explicit path; `$WORKBENCH_HOME/Experiments/models/<name>.json`;
/// `./Experiments/models/<name>.json` (or `./experiments/…`); the embedded copy.
public enum ModelZoo {
  /// The names of the shipped definitions.
  public static var names: [String] { embedded.keys.sorted() }

  /// Where the definition `nameOrPath` would be read from on disk, if anywhere.
  public static func file(for nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    let fm = FileManager.default
    if nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") {
      return fm.fileExists(atPath: nameOrPath) ? nameOrPath : nil
    }
    var candidates: [String] = []
    if let home = environment["WORKBENCH_HOME"], !home.isEmpty {
      candidates.append("\(home)/Experiments/models/\(nameOrPath).json")
    }
    candidates += ["Experiments/models/\(nameOrPath).json", "experiments/models/\(nameOrPath).json"]
    return candidates.first { fm.fileExists(atPath: $0) }
  }

  /// The JSON text of a definition: a path, or a zoo name found on disk or embedded.
  /// - Throws: ``DefinitionError`` when nothing matches, listing the shipped names.
  public static func definitionText(_ nameOrPath: String) throws -> String {
    if let path = file(for: nameOrPath) {
      return String(decoding: try FileSystem.read(path, "the model definition"), as: UTF8.self)
    }
    if let text = embedded[nameOrPath] { return text }
    throw DefinitionError(
      model: nameOrPath,
      "is neither a definition file nor a zoo model (zoo models: \(names.joined(separator: ", "))).")
  }

  /// The parsed definition `nameOrPath`.
  public static func definition(_ nameOrPath: String) throws -> ModelDefinition {
    try ModelDefinition.parse(try definitionText(nameOrPath), origin: nameOrPath)
  }

  /// The graph of `nameOrPath` built with `options`, e.g.
  /// `try ModelZoo.graph("squeezenet1.1", options: BuildOptions(width: 0.5))`.
  public static func graph(_ nameOrPath: String, options: BuildOptions = BuildOptions()) throws -> ModelGraph {
    try definition(nameOrPath).build(options)
  }
}
