import Graph

/// Recognises `x / Sqrt(ReduceSum(x · x, axes [1], keepdims 1) + ε)` (how ``ONNXExporter``
/// writes L2Normalize) and `x / Expand(Clip(ReduceL2(x, axes [1]), min ε))` (PyTorch's
/// `F.normalize`) node by node, and imports either as one L2Normalize node. Each step leaves a
/// ``PendingValue``; a pending value read by anything else is an error naming the node.
///
/// PyTorch divides by max(‖x‖, ε), Workbench by √(‖x‖² + ε²): the two agree to within
/// ε²/(2‖x‖²) relative, i.e. exactly in float32 whenever ‖x‖ ≫ ε (ε = 10⁻¹² by default);
/// they differ only for vectors of norm near ε, which have no direction to speak of.
enum L2Pattern {
  static func step(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    let out = n.output[0]
    let a = n.input.first.flatMap { c.values[$0] }
    let b = n.input.count > 1 ? c.values[n.input[1]] : nil
    switch (n.opType, a, b) {
    case let ("Mul", .runtime(x)?, .runtime(y)?) where x == y:
      c.values[out] = .pending(.square(source: x))
      return
    case let ("ReduceSum", .pending(.square(x))?, _):
      try n.checkAttributes(["axes", "keepdims", "noop_with_empty_axes"])
      let axes = try c.optionalConstant(n, 1, "axes")?.ints ?? n.ints("axes") ?? []
      let rank = c.shapes[x]?.count ?? 0
      guard axes.map({ ConstantFolding.normalize($0, rank) }) == [1], n.int("keepdims", 1) == 1 else { break }
      c.values[out] = .pending(.sumSquares(source: x))
      return
    case let ("Add", .pending(.sumSquares(x))?, .constant(eps)?) where eps.count == 1:
      c.values[out] = .pending(.shifted(source: x, epsilon: DecimalAttribute.value(Float(eps.values[0]))))
      return
    case let ("Sqrt", .pending(.shifted(x, eps))?, _):
      c.values[out] = .pending(.norm(source: x, epsilon: eps))
      return
    case let ("Sqrt", .pending(.sumSquares(x))?, _):
      c.values[out] = .pending(.norm(source: x, epsilon: 0))
      return
    case let ("ReduceL2", .runtime(x)?, _):
      try n.checkAttributes(["axes", "keepdims", "noop_with_empty_axes"])
      let axes = try c.optionalConstant(n, 1, "axes")?.ints ?? n.ints("axes") ?? []
      let rank = c.shapes[x]?.count ?? 0
      guard axes.map({ ConstantFolding.normalize($0, rank) }) == [1], n.int("keepdims", 1) == 1 else { break }
      c.values[out] = .pending(.l2Norm(source: x))
      return
    case let ("Clip", .pending(.l2Norm(x))?, _):
      let low = try c.optionalConstant(n, 1, "minimum")?.values.first ?? n.attr("min").map { Double($0.f) }
      let high = try c.optionalConstant(n, 2, "maximum")?.values.first ?? n.attr("max").map { Double($0.f) }
      guard let low, low > 0, high == nil else { break }
      let eps = DecimalAttribute.value(Float(low))
      c.values[out] = .pending(.norm(source: x, epsilon: eps * eps))
      return
    case let ("Expand", .pending(.norm(x, eps))?, _):
      c.values[out] = .pending(.norm(source: x, epsilon: eps))
      return
    case let ("Div", .runtime(x)?, .pending(.norm(y, eps))?) where x == y:
      let name = c.name(for: n, index: index)
      let attrs: [String: Attribute] = eps == 1e-10 ? [:] : ["epsilon": .float(eps)]
      c.values[out] = .runtime(try c.add(.l2Normalize, name: name, inputs: [x], attributes: attrs, source: n))
      return
    default: break
    }
    throw ONNXImportError.unsupportedOp(node: n.name, op: n.opType, supported: ImportOps.supportedList)
  }
}
