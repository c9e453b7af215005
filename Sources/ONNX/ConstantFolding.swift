import Foundation

/// Evaluation at import time of the shape arithmetic exporters write around Flatten, Reshape
/// and Resize (`Shape → Gather → Unsqueeze → Concat → Reshape`, `Cast`, `Slice`, `Mul` of
/// sizes, …) when every input is a constant or, for `Shape`, a value of known shape.
enum ConstantFolding {
  /// Ops folded when their inputs are constant.
  static let foldable: Set<String> = [
    "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Slice", "Add", "Sub", "Mul", "Div",
    "Floor", "Ceil", "Sqrt", "Neg", "Identity", "Reshape", "ConstantOfShape", "Range", "Equal", "Where", "Expand",
    "Min", "Max", "Size", "Transpose", "Flatten",
  ]

  /// The constant outputs of `node`, or nil when it cannot be folded (some input is computed at
  /// run time and the op is not `Shape`).
  static func fold(_ node: Onnx_NodeProto, _ context: ImportContext) throws -> [ConstantTensor]? {
    let op = node.opType
    guard foldable.contains(op) else { return nil }
    if op == "Constant" { return [try constantNode(node)] }
    if op == "Shape", let x = node.input.first {
      let shape: [Int]
      switch context.values[x] {
      case let .runtime(v)?: shape = context.shapes[v] ?? []
      case let .constant(c)?: shape = c.shape
      default: return nil
      }
      try node.checkAttributes(["start", "end"])
      let r = shape.count
      func clamp(_ i: Int) -> Int { min(max(i < 0 ? i + r : i, 0), r) }
      let start = clamp(node.int("start", 0)), end = clamp(node.int("end", r))
      return [ConstantTensor(ints: start < end ? Array(shape[start..<end]) : [])]
    }
    var inputs: [ConstantTensor?] = []
    for name in node.input {
      if name.isEmpty {
        inputs.append(nil)
        continue
      }
      guard case let .constant(c)? = context.values[name] else { return nil }
      inputs.append(c)
    }
    guard let first = inputs.first ?? nil else { return nil }
    return [try evaluate(node, first, inputs)]
  }

  static func evaluate(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ inputs: [ConstantTensor?]) throws
    -> ConstantTensor
  {
    func input(_ i: Int) -> ConstantTensor? { i < inputs.count ? inputs[i] : nil }
    switch node.opType {
    case "Identity": return x
    case "Size": return ConstantTensor(shape: [], values: [Double(x.count)], isInteger: true)
    case "Neg": return map(x) { -$0 }
    case "Floor": return map(x) { $0.rounded(.down) }
    case "Ceil": return map(x) { $0.rounded(.up) }
    case "Sqrt": return map(x) { $0.squareRoot() }
    case "Cast":
      let to = node.int("to", 1)
      let isInteger = ![1, 10, 11, 16].contains(to)
      return ConstantTensor(
        shape: x.shape, values: isInteger ? x.values.map { $0.rounded(.towardZero) } : x.values, isInteger: isInteger)
    case "Add", "Sub", "Mul", "Div", "Equal", "Min", "Max":
      guard let y = input(1) else { throw node.unsupported("needs two inputs") }
      return try binary(node, x, y)
    case "Where":
      guard let a = input(1), let b = input(2) else { throw node.unsupported("needs three inputs") }
      let ab = try broadcast(node, a, b) { _, _ in 0 }
      let shape = try broadcastShape(node, x.shape, ab.shape)
      let c = try expand(node, x, shape), av = try expand(node, a, shape), bv = try expand(node, b, shape)
      return ConstantTensor(
        shape: shape, values: c.values.indices.map { c.values[$0] != 0 ? av.values[$0] : bv.values[$0] },
        isInteger: a.isInteger)
    case "Expand":
      guard let s = input(1) else { throw node.unsupported("needs a shape input") }
      let shape = try broadcastShape(node, x.shape, s.ints)
      guard ConstantTensor.safeCount(shape) != nil else { throw node.unsupported("has an invalid shape \(shape)") }
      return try expand(node, x, shape)
    case "ConstantOfShape":
      let value = try node.attr("value").map { try TensorProtoCoding.constant($0.t, what: "value") }
      let shape = x.ints
      guard ConstantTensor.safeCount(shape) != nil else { throw node.unsupported("has an invalid shape \(shape)") }
      return ConstantTensor(
        shape: shape, values: Array(repeating: value?.values.first ?? 0, count: shape.reduce(1, *)),
        isInteger: value?.isInteger ?? false)
    case "Range":
      guard let limit = input(1)?.values.first, let delta = input(2)?.values.first, let start = x.values.first,
        delta != 0
      else { throw node.unsupported("needs start, limit and a non-zero delta") }
      let n = max(ConstantTensor.int(((limit - start) / delta).rounded(.up)), 0)
      guard n <= 1 << 24 else { throw node.unsupported("would make \(n) values") }
      return ConstantTensor(shape: [n], values: (0..<n).map { start + Double($0) * delta }, isInteger: x.isInteger)
    case "Unsqueeze", "Squeeze":
      let axes = input(1)?.ints ?? node.ints("axes") ?? []
      return try squeeze(node, x, axes: axes, unsqueeze: node.opType == "Unsqueeze")
    case "Reshape":
      guard let s = input(1) else { throw node.unsupported("needs a shape input") }
      return ConstantTensor(
        shape: try ReshapeRule.outputShape(node, input: x.shape, target: s.ints), values: x.values,
        isInteger: x.isInteger)
    case "Flatten":
      let axis = min(max(normalize(node.int("axis", 1), x.shape.count), 0), x.shape.count)
      let a = x.shape.prefix(axis).reduce(1, *), b = x.shape.dropFirst(axis).reduce(1, *)
      return ConstantTensor(shape: [a, b], values: x.values, isInteger: x.isInteger)
    case "Concat":
      let parts = inputs.compactMap { $0 }
      let axis = normalize(node.int("axis", 0), x.shape.count)
      return try concat(node, parts, axis: axis)
    case "Gather":
      guard let indices = input(1) else { throw node.unsupported("needs indices") }
      return try gather(node, x, indices, axis: normalize(node.int("axis", 0), x.shape.count))
    case "Slice": return try slice(node, x, inputs)
    case "Transpose":
      let perm = node.ints("perm") ?? Array((0..<x.shape.count).reversed())
      guard perm.sorted() == Array(0..<x.shape.count) else {
        throw node.unsupported("has perm \(perm), which is not a permutation of the \(x.shape.count) axes")
      }
      return transpose(x, perm)
    default: throw node.unsupported("cannot be evaluated at import time")
    }
  }

  static func normalize(_ axis: Int, _ rank: Int) -> Int { axis < 0 ? axis + rank : axis }

  static func constantNode(_ node: Onnx_NodeProto) throws -> ConstantTensor {
    try node.checkAttributes(["value", "value_float", "value_floats", "value_int", "value_ints"])
    if let t = node.attr("value") { return try TensorProtoCoding.constant(t.t, what: "Constant \(node.name)") }
    if let a = node.attr("value_float") { return ConstantTensor(shape: [], values: [Double(a.f)], isInteger: false) }
    if let a = node.attr("value_floats") {
      return ConstantTensor(shape: [a.floats.count], values: a.floats.map(Double.init), isInteger: false)
    }
    if let a = node.attr("value_int") { return ConstantTensor(shape: [], values: [Double(a.i)], isInteger: true) }
    if let a = node.attr("value_ints") { return ConstantTensor(ints: a.ints.map { Int($0) }) }
    throw node.unsupported("has no value attribute (supported: value, value_float(s), value_int(s))")
  }

  static func map(_ x: ConstantTensor, _ f: (Double) -> Double) -> ConstantTensor {
    ConstantTensor(shape: x.shape, values: x.values.map(f), isInteger: x.isInteger)
  }

  static func binary(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ y: ConstantTensor) throws
    -> ConstantTensor
  {
    let integer = x.isInteger && y.isInteger
    var out = try broadcast(node, x, y) { a, b in
      switch node.opType {
      case "Add": return a + b
      case "Sub": return a - b
      case "Mul": return a * b
      case "Div": return integer ? (b == 0 ? 0 : (a / b).rounded(.towardZero)) : a / b
      case "Equal": return a == b ? 1 : 0
      case "Min": return min(a, b)
      default: return max(a, b)
      }
    }
    out.isInteger = integer || node.opType == "Equal"
    return out
  }
}
