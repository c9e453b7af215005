import Foundation
import Graph
import Tensors

/// Translation of the ONNX ops that compute at run time into Workbench nodes.
enum ImportOps {
  /// The ops with a Workbench counterpart (besides the shape arithmetic ``ConstantFolding``
  /// evaluates), as listed in errors.
  static let supported = [
    "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "MaxPool", "AveragePool",
    "GlobalAveragePool", "Gemm", "MatMul", "Add", "Concat", "Flatten", "Reshape", "Resize", "Upsample",
    "Identity", "Dropout", "Pad", "LpNormalization",
    "Mul, ReduceSum, Sqrt and Div or ReduceL2, Clip, Expand and Div (as an L2 normalization)",
  ]

  static var supportedList: String {
    supported.joined(separator: ", ") + "; at import time also "
      + ConstantFolding.foldable.sorted().joined(separator: ", ")
  }

  /// Translates one runtime node, updating `c.values` for its outputs.
  static func translate(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    guard n.domain.isEmpty || n.domain == "ai.onnx" else {
      throw ONNXImportError.unsupportedOp(node: n.name, op: "\(n.domain).\(n.opType)", supported: supportedList)
    }
    guard let out = n.output.first else { throw n.unsupported("has no output") }
    func emit(
      _ op: OpKind, _ inputs: [String], _ attributes: [String: Attribute] = [:], _ params: [String: Tensor<Float>] = [:]
    )
      throws
    {
      let name = c.name(for: n, index: index)
      c.values[out] = .runtime(
        try c.add(op, name: name, inputs: inputs, attributes: attributes, parameters: params, source: n))
    }
    func x() throws -> String { try c.runtime(n.input.first ?? "", n) }
    switch n.opType {
    case "Conv": try conv(n, index: index, &c)
    case "BatchNormalization":
      try n.checkAttributes(["epsilon", "momentum", "training_mode", "spatial"])
      guard n.int("training_mode", 0) == 0, n.int("spatial", 1) == 1 else {
        throw n.unsupported("is supported in inference mode (training_mode 0, spatial 1) only")
      }
      try n.checkOnlyFirstOutputUsed(c.readers)
      guard n.input.count == 5 else { throw n.unsupported("needs 5 inputs (X, scale, B, mean, var)") }
      var params: [String: Tensor<Float>] = [:]
      for (i, role) in ["weight", "bias", "running_mean", "running_var"].enumerated() {
        params[role] = try c.constant(n.input[i + 1], n, "BatchNorm \(role)").floatTensor
      }
      var attrs: [String: Attribute] = [:]
      let eps = DecimalAttribute.value(n.float("epsilon", 1e-5))
      if eps != 1e-5 { attrs["epsilon"] = .float(eps) }
      let momentum = DecimalAttribute.complement(n.float("momentum", 0.9))
      if momentum != 0.1 { attrs["momentum"] = .float(momentum) }
      try emit(.batchNorm, [try x()], attrs, params)
    case "Relu":
      try n.checkAttributes([])
      try emit(.relu, [try x()])
    case "Sigmoid":
      try n.checkAttributes([])
      try emit(.sigmoid, [try x()])
    case "Tanh":
      try n.checkAttributes([])
      try emit(.tanh, [try x()])
    case "LeakyRelu":
      try n.checkAttributes(["alpha"])
      let alpha = DecimalAttribute.value(n.float("alpha", 0.01))
      try emit(.leakyRelu, [try x()], alpha == 0.1 ? [:] : ["alpha": .float(alpha)])
    case "Clip":
      try n.checkAttributes(["min", "max"])
      if case .pending? = c.values[n.input.first ?? ""] { return try L2Pattern.step(n, index: index, &c) }
      let low = try c.optionalConstant(n, 1, "minimum")?.values.first ?? n.attr("min").map { Double($0.f) }
      let high = try c.optionalConstant(n, 2, "maximum")?.values.first ?? n.attr("max").map { Double($0.f) }
      guard low == 0 else {
        throw n.unsupported("is supported only with minimum 0 (ReLU or ReLU6), got \(low.map { "\($0)" } ?? "none")")
      }
      if high == nil || high == .infinity || high == Double(Float.greatestFiniteMagnitude) {
        try emit(.relu, [try x()])
      } else if high == 6 {
        try emit(.relu6, [try x()])
      } else {
        throw n.unsupported("is supported only as ReLU (min 0) or ReLU6 (min 0, max 6), got max \(high ?? 0)")
      }
    case "MaxPool", "AveragePool": try pool(n, index: index, &c)
    case "GlobalAveragePool":
      try n.checkAttributes([])
      try emit(.globalAvgPool, [try x()])
    case "Gemm", "MatMul": try dense(n, index: index, &c)
    case "Add": try add(n, index: index, &c)
    case "Concat":
      try n.checkAttributes(["axis"])
      let inputs = try n.input.map { try c.runtime($0, n) }
      let rank = c.shapes[inputs[0]]?.count ?? 4
      let axis = ConstantFolding.normalize(n.int("axis", 1), rank)
      guard axis >= 1 else { throw n.unsupported("joins the batch axis, which is not supported (axis 1 and above)") }
      try emit(.concat, inputs, axis == 1 ? [:] : ["axis": .int(axis)])
    case "Flatten":
      try n.checkAttributes(["axis"])
      let input = try x()
      let rank = c.shapes[input]?.count ?? 4
      guard ConstantFolding.normalize(n.int("axis", 1), rank) == 1 else {
        throw n.unsupported("is supported with axis 1 only (keep the batch axis), got \(n.int("axis", 1))")
      }
      try emit(.flatten, [input])
    case "Reshape":
      try n.checkAttributes(["allowzero"])
      let input = try x()
      guard n.input.count > 1 else { throw n.unsupported("needs a shape input") }
      let shape = c.shapes[input] ?? []
      let requested = try c.constant(n.input[1], n, "shape").ints
      // A target may carry the file's fixed batch; it is resolved on the file's batch.
      let batch = requested.first == c.fileBatch && shape.first == 1 ? c.fileBatch : shape.first ?? 1
      var target = try ReshapeRule.outputShape(n, input: [batch] + shape.dropFirst(), target: requested)
      guard target.first == batch else {
        throw n.unsupported("changes the batch axis (\(shape) to \(target)); only per-sample reshapes are supported")
      }
      target[0] = shape.first ?? 1
      if target == shape {
        c.values[out] = .runtime(input)
      } else if target.count == 2 {
        try emit(.flatten, [input])
      } else {
        try emit(.reshape, [input], ["shape": .ints(Array(target.dropFirst()))])
      }
    case "Resize", "Upsample": try resize(n, index: index, &c)
    case "Identity":
      c.values[out] = c.values[n.input.first ?? ""]
    case "Dropout":
      try n.checkAttributes(["ratio", "seed", "is_test"])
      try n.checkOnlyFirstOutputUsed(c.readers)
      if let training = try c.optionalConstant(n, 2, "training mode"), training.values.first != 0 {
        throw n.unsupported("is in training mode; only inference (training_mode false) is supported")
      }
      c.values[out] = .runtime(try x())
    case "Pad": try pad(n, &c)
    case "LpNormalization":
      try n.checkAttributes(["axis", "p"])
      let input = try x()
      let rank = c.shapes[input]?.count ?? 2
      guard n.int("p", 2) == 2, ConstantFolding.normalize(n.int("axis", -1), rank) == 1 else {
        throw n.unsupported("is supported with p 2 over axis 1 (channels) only")
      }
      try emit(.l2Normalize, [input], ["epsilon": .float(0)])
    case "Mul", "ReduceSum", "Sqrt", "Div", "ReduceL2", "Expand": try L2Pattern.step(n, index: index, &c)
    default:
      throw ONNXImportError.unsupportedOp(node: n.name, op: n.opType, supported: supportedList)
    }
  }
}
