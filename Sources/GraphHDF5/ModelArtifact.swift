import Foundation
import Graph

/// A trained model as a file: the graph IR with parameter values (`model.json` of the train
/// stage) or a weight file (`weights.h5`, which embeds the graph). What `workbench infer` and
/// later exporters take.
public enum ModelArtifact {
  /// The graph with its parameter values.
  /// - Throws: ``ModelFileError``, ``WeightFileError`` or HDF5 errors naming the file; a
  ///   ``ModelArtifactError`` when a `model.json` holds no weights (the model stage's untrained
  ///   graph).
  public static func load(_ path: String) throws -> ModelGraph {
    if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") { return try WeightFile.read(path).graph }
    let graph = try ModelGraph.read(URL(fileURLWithPath: path))
    if let missing = graph.parameters.first(where: { $0.value.data == nil })?.key {
      throw ModelArtifactError(path: path, parameter: missing)
    }
    return graph
  }
}

/// A model file without the parameter values a computation needs.
public struct ModelArtifactError: Error, Equatable, CustomStringConvertible {
  /// The file.
  public var path: String
  /// The first parameter without a value.
  public var parameter: String
  public var description: String {
    "\(path) holds a graph without weights (parameter \(parameter) has no value): use the train stage's model.json or weights.h5"
  }
}
