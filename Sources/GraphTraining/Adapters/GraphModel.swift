import Autograd
import Graph
import Training

/// A graph executor as a trainable model for the training loop, optionally with an identity
/// classification head on the descriptor (used only while training a face descriptor: the
/// deployed model is the graph alone).
public final class GraphModel: TrainableModel {
  public typealias Input = Variable
  public typealias Output = [String: Variable]

  /// The graph being trained.
  public let executor: GraphExecutor
  /// The graph input the image batch is fed to (its first).
  public let inputName: String
  /// Identity classifier [identities, D] and bias, for the cross-entropy term.
  public let head: (weight: Variable, bias: Variable)?
  /// The output name under which ``forward(_:training:)`` returns the identity logits.
  public static let logitsKey = "identity_logits"
  /// Scale of the unit-length descriptor before the identity classifier. Logits of normalised
  /// features are bounded by the weights' norm, which makes softmax training crawl; NormFace
  /// (Wang et al., "NormFace", ACM MM 2017) fixes a scale s instead (they report s ≈ 16 suits).
  public static let normalizedScale: Float = 16

  /// Wraps `executor`; with `identityClasses`, adds an identity head initialised from
  /// `random.split("identity_head")`.
  /// - Throws: ``GraphTrainingError`` when the graph has no input, or no descriptor output
  ///   while `identityClasses` is set.
  public init(executor: GraphExecutor, identityClasses: Int?, random: RandomStream) throws {
    self.executor = executor
    guard let input = executor.graph.inputs.first else { throw GraphTrainingError.noInput(graph: executor.graph.name) }
    inputName = input.name
    if let classes = identityClasses {
      guard let d = executor.graph.outputs.first(where: { $0.role == .descriptor })?.shape.last else {
        throw GraphTrainingError.noDescriptorOutput(graph: executor.graph.name)
      }
      var rng = random.split("identity_head")
      head = (
        Variable(Tensor.xavierUniform([classes, d], rng: &rng), requiresGrad: true),
        Variable(Tensor(zeros: [classes]), requiresGrad: true)
      )
    } else {
      head = nil
    }
  }

  public var parameters: [(name: String, variable: Variable)] {
    executor.parameters + (head.map { [("identity_head.weight", $0.weight), ("identity_head.bias", $0.bias)] } ?? [])
  }

  public var batchNormStates: [(name: String, state: BatchNormState)] {
    executor.batchNormStates
  }

  public var randomStreams: [String: RandomStream] {
    get { ["dropout": executor.dropoutRandom] }
    set { if let r = newValue["dropout"] { executor.dropoutRandom = r } }
  }

  public func forward(_ input: Variable, training: Bool) -> [String: Variable] {
    var out = executor.forward(inputs: [inputName: input], training: training)
    if let head, let d = executor.graph.outputs.first(where: { $0.role == .descriptor }), let e = out[d.name] {
      let flat = e.reshaped([e.shape[0], -1])
      out[Self.logitsKey] = (FaceDescriptorLoss.l2Normalized(flat) * Self.normalizedScale).dense(
        weight: head.weight, bias: head.bias)
    }
    return out
  }
}
