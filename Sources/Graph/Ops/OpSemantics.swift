import Tensors

/// Everything Graph knows about one op kind, in one place (one file per op under `Ops/`): its
/// schema, shape inference, parameters, cost and a reference evaluation on tensors.
///
/// The differentiable evaluation used for training lives in the GraphTraining library
/// (`DifferentiableOps/<Op>+Differentiable.swift`, same file names), so that exporters and
/// quantizers can use Graph without Autograd.
///
/// Methods are static because an op kind has no state; the node carries the attributes.
/// Shape inference runs before evaluation (``ModelGraph/validate()``), so evaluation may treat
/// a shape disagreement as a programmer error.
public protocol OpSemantics {
  /// The kind implemented.
  static var kind: OpKind { get }
  /// Inputs and attributes accepted.
  static var schema: OpSchema { get }
  /// Roles of the parameters the op owns, in a fixed order (e.g. `["weight", "bias"]`).
  static var parameterRoles: [String] { get }

  /// Output shapes for the given input shapes (batch axis first).
  /// - Throws: ``OpShapeError`` with a sentence saying what does not fit.
  static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]]

  /// The parameters the node needs for the given input shapes.
  static func parameterSpecs(_ node: Node, inputShapes: [[Int]]) -> [ParameterSpec]

  /// Multiply-accumulates per sample. Only convolutions and dense layers count, as in the
  /// published figures of SqueezeNet and MobileNet; elementwise ops, pooling and BatchNorm are 0.
  static func macs(_ node: Node, inputShapes: [[Int]], outputShapes: [[Int]]) -> Int

  /// The reference evaluation: plain tensors in, tensors out, inference semantics (BatchNorm
  /// uses running statistics, Dropout is the identity).
  static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<Float>]
}

extension OpSemantics {
  /// No parameters by default.
  public static var parameterRoles: [String] { [] }
  public static func parameterSpecs(_ node: Node, inputShapes: [[Int]]) -> [ParameterSpec] { [] }
  public static func macs(_ node: Node, inputShapes: [[Int]], outputShapes: [[Int]]) -> Int { 0 }
}

/// A parameter an op needs: role, shape, trainable or buffer, and how to initialise it.
public struct ParameterSpec: Equatable, Sendable {
  /// How a fresh parameter is filled.
  public enum Initializer: String, Sendable {
    /// Kaiming/He uniform with gain √2 (He et al. 2015), for weights followed by (leaky) ReLU.
    case kaimingUniform
    /// Xavier/Glorot uniform (Glorot & Bengio 2010), for weights followed by linear outputs.
    case xavierUniform
    /// All zeros (biases, BatchNorm β and running mean).
    case zeros
    /// All ones (BatchNorm γ and running variance).
    case ones
  }

  /// The role, e.g. `"weight"`.
  public var role: String
  /// The shape in PyTorch's layout.
  public var shape: [Int]
  /// Trainable or a buffer.
  public var kind: Parameter.Kind
  /// The initialiser for a fresh model.
  public var initializer: Initializer

  /// Creates a spec.
  public init(_ role: String, _ shape: [Int], kind: Parameter.Kind = .trainable, initializer: Initializer) {
    self.role = role
    self.shape = shape
    self.kind = kind
    self.initializer = initializer
  }
}

/// Why an op cannot accept its inputs; ``ModelGraph/validate()`` adds the node name.
public struct OpShapeError: Error, CustomStringConvertible, Equatable {
  /// The problem, as a sentence fragment such as "input has 3 channels but the weight expects 4".
  public var message: String
  /// Creates an error.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
