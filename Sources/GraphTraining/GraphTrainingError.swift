import Graph

/// Why a graph cannot be trained or fed. Each message names the model and says what to change.
public enum GraphTrainingError: Error, CustomStringConvertible, Equatable {
  /// A parameter holds integer (quantized) values; training updates float32 parameters only.
  case nonFloatParameter(graph: String, parameter: String, elementType: Parameter.ElementType)
  /// The model declares no input to feed the images to.
  case noInput(graph: String)
  /// Identity training needs a descriptor output for its classification head.
  case noDescriptorOutput(graph: String)
  /// The data loader delivered fewer batches than it announced (a bug, not a user error).
  case loaderExhausted(batch: Int, epoch: Int)
  /// Quantization-aware training was configured with an impossible setting.
  case invalidQuantization(graph: String, message: String)

  public var description: String {
    switch self {
    case let .nonFloatParameter(graph, parameter, elementType):
      return
        "Graph '\(graph)' cannot be trained: parameter '\(parameter)' holds \(elementType.rawValue) values; train the float32 model and quantize it afterwards."
    case let .noInput(graph):
      return "model \(graph) has no input"
    case let .noDescriptorOutput(graph):
      return "model \(graph) has no descriptor output to train with identities"
    case let .loaderExhausted(batch, epoch):
      return "internal: the loader ran out of batches at \(batch) of epoch \(epoch)"
    case let .invalidQuantization(graph, message):
      return "Graph '\(graph)' cannot be trained quantization-aware: \(message)"
    }
  }
}
