import Foundation
import Graph
import Tensors

/// What an ONNX value name stands for while importing.
enum ImportedValue {
  /// A value computed at run time: the name of the Workbench value holding it.
  case runtime(String)
  /// A value known at import time (initializer, `Constant`, folded shape arithmetic).
  case constant(ConstantTensor)
  /// A part of a pattern that becomes one Workbench node once complete.
  case pending(PendingValue)
}

/// Intermediate values of the multi-node patterns the importer fuses.
enum PendingValue {
  /// `Pad` (zeros, spatial axes only) of a runtime value, folded into the next Conv's padding
  /// `[top, left, bottom, right]`.
  case pad(source: String, padding: [Int], node: String)
  /// `x · x`, the start of an L2 normalization.
  case square(source: String)
  /// `ReduceSum(x · x, axis 1, keepdims)`.
  case sumSquares(source: String)
  /// `ReduceSum(x · x) + ε`.
  case shifted(source: String, epsilon: Double)
  /// `Sqrt(ReduceSum(x · x) + ε)`, the divisor of `L2Normalize(x)`.
  case norm(source: String, epsilon: Double)
  /// `ReduceL2(x, axis 1, keepdims)` (PyTorch's `F.normalize`), before its clamp.
  case l2Norm(source: String)

  var description: String {
    switch self {
    case .pad: return "a Pad, which is supported only directly before a Conv"
    default: return "part of an L2 normalization x / Sqrt(ReduceSum(x·x, axis 1) + ε), which must be complete"
    }
  }
}

/// The Workbench graph being assembled from ONNX nodes, with every ONNX value's meaning.
struct ImportContext {
  var values: [String: ImportedValue] = [:]
  var nodes: [Node] = []
  var shapes: [String: [Int]] = [:]
  var valueInfos: [ValueInfo] = []
  var inputs: [ValueInfo] = []
  var parameters: [String: Parameter] = [:]
  /// Workbench names taken so far.
  var taken: Set<String> = []
  /// How many nodes (and graph outputs) read each ONNX value.
  var readers: [String: Int] = [:]
  /// The ONNX graph's output names.
  var graphOutputs: Set<String> = []
  /// The batch extent of the file's inputs when fixed (an export with a batch of 2 writes
  /// `Reshape(x, [2, -1])`); the Workbench graph itself has batch 1.
  var fileBatch = 1
  let opset: Int

  init(opset: Int) { self.opset = opset }

  /// A Workbench node name for an ONNX node: its name without `/` and `.` (PyTorch writes
  /// `/features/features.0/Conv`), or the op and position when it has none; made unique.
  mutating func name(for node: Onnx_NodeProto, index: Int) -> String {
    var base = node.name
    if let output = node.output.first, graphOutputs.contains(output) { base = output }
    base = Self.sanitize(base)
    if base.isEmpty { base = "\(node.opType)_\(index)" }
    return unique(base)
  }

  /// `raw` with `/`, `.` and `:` replaced by `_` and leading or doubled underscores removed.
  static func sanitize(_ raw: String) -> String {
    let mapped = raw.map { "/.: ".contains($0) ? "_" : $0 }
    var out = ""
    for c in mapped where !(c == "_" && (out.isEmpty || out.last == "_")) { out.append(c) }
    while out.last == "_" { out.removeLast() }
    return out
  }

  /// `base`, or `base_2`, `base_3`, … when taken, and marks it taken.
  mutating func unique(_ base: String) -> String {
    var candidate = base, n = 2
    while taken.contains(candidate) {
      candidate = "\(base)_\(n)"
      n += 1
    }
    taken.insert(candidate)
    return candidate
  }

  /// The Workbench value an ONNX node reads at run time.
  func runtime(_ name: String, _ node: Onnx_NodeProto) throws -> String {
    switch values[name] {
    case let .runtime(v)?: return v
    case .constant?:
      throw ONNXImportError.unsupportedAttribute(
        node: node.name, op: node.opType,
        detail:
          "reads the constant '\(name)' where a computed tensor is expected; constant inputs are supported only as weights, shapes and scales"
      )
    case let .pending(p)?:
      throw ONNXImportError.unsupportedAttribute(
        node: node.name, op: node.opType, detail: "reads '\(name)', \(p.description)")
    case nil: throw ONNXImportError.missingValue(node: node.name, op: node.opType, input: name)
    }
  }

  /// The constant an ONNX node reads (weights, shapes, scales, axes).
  func constant(_ name: String, _ node: Onnx_NodeProto, _ what: String) throws -> ConstantTensor {
    switch values[name] {
    case let .constant(c)?: return c
    case nil: throw ONNXImportError.missingValue(node: node.name, op: node.opType, input: name)
    default:
      throw ONNXImportError.unsupportedAttribute(
        node: node.name, op: node.opType,
        detail: "takes its \(what) from '\(name)', which is computed at run time; only constant \(what)s are supported")
    }
  }

  /// The constant at input `index`, or nil when the input is absent or empty.
  func optionalConstant(_ node: Onnx_NodeProto, _ index: Int, _ what: String) throws -> ConstantTensor? {
    guard index < node.input.count, !node.input[index].isEmpty else { return nil }
    return try constant(node.input[index], node, what)
  }

  /// Appends a Workbench node reading `inputs`, infers its output shape and stores its
  /// parameter values; returns its output value (named like the node).
  @discardableResult
  mutating func add(
    _ op: OpKind, name: String, inputs: [String], attributes: [String: Attribute] = [:],
    parameters values: [String: Tensor<Float>] = [:], source: Onnx_NodeProto
  ) throws -> String {
    let node = Node(name: name, op: op, inputs: inputs, outputs: [name], attributes: attributes)
    let inputShapes = inputs.map { shapes[$0] ?? [] }
    let out: [[Int]]
    do {
      out = try op.semantics.inferShapes(node, inputShapes: inputShapes)
    } catch {
      throw ONNXImportError.unsupportedAttribute(
        node: source.name, op: source.opType,
        detail:
          "cannot be imported as \(op.rawValue) on inputs of shape \(inputShapes.map { "\($0)" }.joined(separator: ", ")): \(error)"
      )
    }
    for spec in op.semantics.parameterSpecs(node, inputShapes: inputShapes) {
      guard let value = values[spec.role], value.shape == spec.shape else {
        throw ONNXImportError.unsupportedAttribute(
          node: source.name, op: source.opType,
          detail:
            "has a \(spec.role) of shape \(values[spec.role]?.shape ?? []) where \(op.rawValue) needs \(spec.shape)")
      }
      parameters[Parameter.key(node: name, role: spec.role)] = Parameter(
        shape: spec.shape, kind: spec.kind, value: value)
    }
    nodes.append(node)
    shapes[name] = out[0]
    valueInfos.append(ValueInfo(name: name, shape: out[0]))
    return name
  }
}
