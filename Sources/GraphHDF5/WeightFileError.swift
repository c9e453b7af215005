/// Why a weight file could not be written or does not fit a graph. Each message names the
/// file and the first offending tensor with both shapes.
public enum WeightFileError: Error, CustomStringConvertible, Equatable {
  /// A parameter has no value, so there is nothing to save.
  case missingValue(file: String, tensor: String)
  /// The graph has a tensor the file lacks.
  case missingTensor(file: String, graph: String, tensor: String, shape: [Int])
  /// The file has a tensor the graph lacks.
  case unexpectedTensor(file: String, graph: String, tensor: String, shape: [Int])
  /// The file and the graph disagree on a tensor's shape.
  case shapeMismatch(file: String, graph: String, tensor: String, fileShape: [Int], graphShape: [Int])
  /// The file and the graph disagree on a tensor's element type.
  case elementTypeMismatch(file: String, graph: String, tensor: String, fileType: String, graphType: String)
  /// The file is HDF5 but not a Workbench weight file.
  case notAWeightFile(file: String, reason: String)

  public var description: String {
    switch self {
    case let .missingValue(file, tensor):
      return
        "Cannot save weights to '\(file)': parameter '\(tensor)' has no value (train it, e.g. with GraphTraining's GraphExecutor, or load weights first)."
    case let .missingTensor(file, graph, tensor, shape):
      return
        "Weight file '\(file)' does not fit graph '\(graph)': tensor '\(tensor)' with shape \(shape) is missing from the file."
    case let .unexpectedTensor(file, graph, tensor, shape):
      return
        "Weight file '\(file)' does not fit graph '\(graph)': the file has tensor '\(tensor)' with shape \(shape), which the graph does not have."
    case let .shapeMismatch(file, graph, tensor, fileShape, graphShape):
      return
        "Weight file '\(file)' does not fit graph '\(graph)': tensor '\(tensor)' has shape \(fileShape) in the file but \(graphShape) in the graph."
    case let .elementTypeMismatch(file, graph, tensor, fileType, graphType):
      return
        "Weight file '\(file)' does not fit graph '\(graph)': tensor '\(tensor)' is stored as \(fileType) but the graph expects \(graphType)."
    case let .notAWeightFile(file, reason):
      return "'\(file)' is not a Workbench weight file: \(reason)."
    }
  }
}
