import Graph
import Tensors

/// One Workbench node as ONNX nodes and initializers (opset 13+), float32 weights.
///
/// Most ops map one to one (`Conv`, `BatchNormalization`, `Relu`, `LeakyRelu`, `Sigmoid`,
/// `Tanh`, `MaxPool`, `AveragePool`, `GlobalAveragePool`, `Gemm`, `Concat`, `Add`, `Flatten`,
/// `Reshape`); ReLU6 is `Clip(0, 6)`, Upsample is `Resize` (nearest, asymmetric, floor: the
/// exact repeat), Dropout and Identity are `Identity`, and L2Normalize is written as its exact
/// decomposition `x / Sqrt(ReduceSum(x·x, axis 1) + ε)` (ONNX's `LpNormalization` has no ε).
enum FloatLowering {
  typealias Lowered = (nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto])

  static func lower(_ node: Node, in graph: ModelGraph) throws -> Lowered {
    let name = node.name, x = node.inputs, y = node.outputs
    func weights() throws -> (names: [String], tensors: [Onnx_TensorProto]) {
      var names: [String] = [], tensors: [Onnx_TensorProto] = []
      for (key, _, parameter) in graph.parameters(of: node) {
        guard let value = parameter.value else {
          let has = parameter.hasValue ? "holds \(parameter.elementType.rawValue) values" : "has no value"
          throw ONNXExportError(
            "node \(name)", "parameter \(key) \(has); the float export needs float32 weights (load a trained model)")
        }
        names.append(key)
        tensors.append(TensorProtoCoding.proto(name: key, float: value))
      }
      return (names, tensors)
    }
    func one(_ op: String, _ attributes: [Onnx_AttributeProto] = [], extra: [String] = []) -> Onnx_NodeProto {
      ONNXBuilding.node(op, name: name, inputs: x + extra, outputs: y, attributes: attributes)
    }
    typealias A = ONNXBuilding
    switch node.op {
    case .conv:
      let w = try weights()
      let attrs = [
        A.attribute("kernel_shape", ints: node.ints("kernel")), A.attribute("strides", ints: node.ints("stride")),
        A.attribute("pads", ints: node.ints("padding")), A.attribute("dilations", ints: node.ints("dilation")),
        A.attribute("group", int: node.int("groups")),
      ]
      return ([one("Conv", attrs, extra: w.names)], w.tensors)
    case .batchNorm:
      let w = try weights()
      // ONNX's momentum weighs the old running statistic, PyTorch's (ours) the new batch.
      let attrs = [
        A.attribute("epsilon", float: node.float("epsilon")),
        A.attribute("momentum", float: Float(1 - Double(node.float("momentum")))),
      ]
      return ([one("BatchNormalization", attrs, extra: w.names)], w.tensors)
    case .relu: return ([one("Relu")], [])
    case .relu6:
      let bounds = [
        TensorProtoCoding.proto(name: "\(name).min", float: Tensor(scalar: 0)),
        TensorProtoCoding.proto(name: "\(name).max", float: Tensor(scalar: 6)),
      ]
      return ([one("Clip", extra: ["\(name).min", "\(name).max"])], bounds)
    case .leakyRelu: return ([one("LeakyRelu", [A.attribute("alpha", float: node.float("alpha"))])], [])
    case .sigmoid: return ([one("Sigmoid")], [])
    case .tanh: return ([one("Tanh")], [])
    case .maxPool, .avgPool:
      var attrs = [
        A.attribute("kernel_shape", ints: node.ints("kernel")), A.attribute("strides", ints: node.ints("stride")),
        A.attribute("pads", ints: node.ints("padding")), A.attribute("ceil_mode", int: node.bool("ceilMode") ? 1 : 0),
      ]
      if node.op == .avgPool {
        attrs.append(A.attribute("count_include_pad", int: node.bool("countIncludePad") ? 1 : 0))
      }
      return ([one(node.op == .maxPool ? "MaxPool" : "AveragePool", attrs)], [])
    case .globalAvgPool: return ([one("GlobalAveragePool")], [])
    case .dense:
      let w = try weights()
      return ([one("Gemm", [A.attribute("transB", int: 1)], extra: w.names)], w.tensors)
    case .upsample:
      let f = Float(node.int("factor"))
      let attrs = [
        A.attribute("mode", string: "nearest"), A.attribute("coordinate_transformation_mode", string: "asymmetric"),
        A.attribute("nearest_mode", string: "floor"),
      ]
      let scales = TensorProtoCoding.proto(name: "\(name).scales", float: Tensor(shape: [4], scalars: [1, 1, f, f]))
      return ([one("Resize", attrs, extra: ["", "\(name).scales"])], [scales])
    case .concat: return ([one("Concat", [A.attribute("axis", int: node.int("axis"))])], [])
    case .add: return ([one("Add")], [])
    case .flatten: return ([one("Flatten", [A.attribute("axis", int: 1)])], [])
    case .reshape:
      // 0 copies the batch extent, so the file runs at any batch size.
      let shape = TensorProtoCoding.proto(name: "\(name).shape", int64: [0] + node.ints("shape"))
      return ([one("Reshape", extra: ["\(name).shape"])], [shape])
    case .dropout, .identity: return ([one("Identity")], [])
    case .l2Normalize: return l2Normalize(node)
    }
  }

  /// `y = x / Sqrt(ReduceSum(x·x, axes [1], keepdims) + ε)`, exactly the reference evaluation.
  static func l2Normalize(_ node: Node) -> Lowered {
    let n = node.name, x = node.inputs[0]
    let (square, sum, shifted, norm) = ("\(n)/square", "\(n)/sum", "\(n)/shifted", "\(n)/norm")
    let nodes = [
      ONNXBuilding.node("Mul", name: square, inputs: [x, x], outputs: [square]),
      ONNXBuilding.node(
        "ReduceSum", name: sum, inputs: [square, "\(n).axes"], outputs: [sum],
        attributes: [ONNXBuilding.attribute("keepdims", int: 1)]),
      ONNXBuilding.node("Add", name: shifted, inputs: [sum, "\(n).epsilon"], outputs: [shifted]),
      ONNXBuilding.node("Sqrt", name: norm, inputs: [shifted], outputs: [norm]),
      ONNXBuilding.node("Div", name: n, inputs: [x, norm], outputs: node.outputs),
    ]
    let initializers = [
      TensorProtoCoding.proto(name: "\(n).axes", int64: [1]),
      TensorProtoCoding.proto(name: "\(n).epsilon", float: Tensor(scalar: node.float("epsilon"))),
    ]
    return (nodes, initializers)
  }
}
