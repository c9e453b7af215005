import Foundation

/// Reading a graph saved as `model.json` (the IR's Codable form), shared by every stage and
/// tool that takes a model file.
extension ModelGraph {
  /// Decodes the graph stored at `url`.
  /// - Throws: ``ModelFileError`` naming the file and what is wrong with it.
  public static func read(_ url: URL) throws -> ModelGraph {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw ModelFileError(
        path: url.path, reason: FileManager.default.fileExists(atPath: url.path) ? "it cannot be read" : "no such file")
    }
    do {
      return try JSONDecoder().decode(ModelGraph.self, from: data)
    } catch {
      throw ModelFileError(path: url.path, reason: "it is not a Workbench model graph (\(error))")
    }
  }
}

/// A model file that could not be read.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
  public var path: String
  public var reason: String
  public var description: String { "cannot read the model \(path): \(reason)" }
}
