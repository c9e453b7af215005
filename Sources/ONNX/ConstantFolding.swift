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

  private static func evaluate(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ inputs: [ConstantTensor?]) throws
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
      let axes = try input(1)?.ints ?? node.ints("axes") ?? []
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

  private static func constantNode(_ node: Onnx_NodeProto) throws -> ConstantTensor {
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

  private static func map(_ x: ConstantTensor, _ f: (Double) -> Double) -> ConstantTensor {
    ConstantTensor(shape: x.shape, values: x.values.map(f), isInteger: x.isInteger)
  }

  private static func binary(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ y: ConstantTensor) throws
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

  static func broadcastShape(_ node: Onnx_NodeProto, _ a: [Int], _ b: [Int]) throws -> [Int] {
    let rank = max(a.count, b.count)
    let pa = Array(repeating: 1, count: rank - a.count) + a, pb = Array(repeating: 1, count: rank - b.count) + b
    return try zip(pa, pb).map { p, q in
      guard p == q || p == 1 || q == 1 else { throw node.unsupported("cannot broadcast shapes \(a) and \(b)") }
      return p == 1 ? q : p
    }
  }

  /// `x` repeated to `shape` (NumPy broadcasting).
  static func expand(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ shape: [Int]) throws -> ConstantTensor {
    let rank = shape.count
    let xs = Array(repeating: 1, count: rank - x.shape.count) + x.shape
    var strides = [Int](repeating: 0, count: rank), s = 1
    for i in stride(from: rank - 1, through: 0, by: -1) {
      strides[i] = xs[i] == 1 ? 0 : s
      s *= xs[i]
    }
    let count = shape.reduce(1, *)
    var values = [Double](repeating: 0, count: count)
    for flat in 0..<count {
      var rest = flat, offset = 0
      for i in stride(from: rank - 1, through: 0, by: -1) {
        offset += (rest % shape[i]) * strides[i]
        rest /= shape[i]
      }
      values[flat] = x.values[offset]
    }
    return ConstantTensor(shape: shape, values: values, isInteger: x.isInteger)
  }

  private static func broadcast(
    _ node: Onnx_NodeProto, _ x: ConstantTensor, _ y: ConstantTensor, _ f: (Double, Double) -> Double
  ) throws -> ConstantTensor {
    let shape = try broadcastShape(node, x.shape, y.shape)
    let a = try expand(node, x, shape), b = try expand(node, y, shape)
    return ConstantTensor(shape: shape, values: zip(a.values, b.values).map(f), isInteger: x.isInteger)
  }

  private static func squeeze(_ node: Onnx_NodeProto, _ x: ConstantTensor, axes: [Int], unsqueeze: Bool) throws
    -> ConstantTensor
  {
    var shape = x.shape
    if unsqueeze {
      let rank = shape.count + axes.count
      for axis in axes.map({ normalize($0, rank) }).sorted() {
        guard axis >= 0, axis <= shape.count else { throw node.unsupported("has axis outside the output's rank") }
        shape.insert(1, at: axis)
      }
    } else {
      let drop =
        axes.isEmpty ? Set(shape.indices.filter { shape[$0] == 1 }) : Set(axes.map { normalize($0, shape.count) })
      shape = shape.indices.filter { !drop.contains($0) }.map { shape[$0] }
    }
    return ConstantTensor(shape: shape, values: x.values, isInteger: x.isInteger)
  }

  private static func concat(_ node: Onnx_NodeProto, _ parts: [ConstantTensor], axis: Int) throws -> ConstantTensor {
    guard let first = parts.first, axis >= 0, axis < max(first.shape.count, 1) else {
      throw node.unsupported("has an axis outside the inputs' rank")
    }
    guard parts.allSatisfy({ $0.shape.count == first.shape.count }) else {
      throw node.unsupported("joins constants of different ranks")
    }
    if first.shape.isEmpty {
      return ConstantTensor(shape: [parts.count], values: parts.flatMap(\.values), isInteger: first.isInteger)
    }
    let outer = first.shape.prefix(axis).reduce(1, *)
    var values: [Double] = [], extent = 0
    for p in parts { extent += p.shape[axis] }
    for o in 0..<outer {
      for p in parts {
        let inner = p.shape.dropFirst(axis).reduce(1, *)
        values += p.values[(o * inner)..<((o + 1) * inner)]
      }
    }
    var shape = first.shape
    shape[axis] = extent
    return ConstantTensor(shape: shape, values: values, isInteger: first.isInteger)
  }

  private static func gather(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ indices: ConstantTensor, axis: Int) throws
    -> ConstantTensor
  {
    guard axis >= 0, axis < x.shape.count else { throw node.unsupported("has an axis outside the data's rank") }
    let n = x.shape[axis]
    let outer = x.shape.prefix(axis).reduce(1, *), inner = x.shape.dropFirst(axis + 1).reduce(1, *)
    var values: [Double] = []
    for o in 0..<outer {
      for raw in indices.ints {
        let i = raw < 0 ? raw + n : raw
        guard i >= 0, i < n else { throw node.unsupported("has index \(raw) outside an axis of extent \(n)") }
        let start = (o * n + i) * inner
        values += x.values[start..<(start + inner)]
      }
    }
    let shape = Array(x.shape.prefix(axis)) + indices.shape + Array(x.shape.dropFirst(axis + 1))
    return ConstantTensor(shape: shape, values: values, isInteger: x.isInteger)
  }

  private static func slice(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ inputs: [ConstantTensor?]) throws
    -> ConstantTensor
  {
    let rank = x.shape.count
    let starts = inputs.count > 1 ? inputs[1]?.ints ?? [] : node.ints("starts") ?? []
    let ends = inputs.count > 2 ? inputs[2]?.ints ?? [] : node.ints("ends") ?? []
    let axes = (inputs.count > 3 ? inputs[3]?.ints : node.ints("axes")) ?? Array(0..<starts.count)
    let steps = (inputs.count > 4 ? inputs[4]?.ints : nil) ?? Array(repeating: 1, count: starts.count)
    guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count,
      axes.allSatisfy({ normalize($0, rank) >= 0 && normalize($0, rank) < rank })
    else { throw node.unsupported("has starts, ends, axes and steps of different lengths or axes outside the rank") }
    var ranges = x.shape.map { (start: 0, step: 1, count: $0) }
    for (k, rawAxis) in axes.enumerated() {
      let axis = normalize(rawAxis, rank), n = x.shape[axis], step = steps[k]
      guard step != 0 else { throw node.unsupported("has a zero step") }
      func clampIndex(_ v: Int, _ lo: Int, _ hi: Int) -> Int { min(max(v < 0 ? v + n : v, lo), hi) }
      let s = step > 0 ? clampIndex(starts[k], 0, n) : clampIndex(starts[k], 0, n - 1)
      let e = step > 0 ? clampIndex(ends[k], 0, n) : clampIndex(ends[k], -1, n - 1)
      let count = step > 0 ? max(0, (e - s + step - 1) / step) : max(0, (s - e + (-step) - 1) / (-step))
      ranges[axis] = (s, step, count)
    }
    let shape = ranges.map(\.count), strides = rowMajorStrides(x.shape)
    let total = shape.reduce(1, *)
    var values = [Double](repeating: 0, count: total)
    for flat in 0..<total {
      var rest = flat, offset = 0
      for i in stride(from: rank - 1, through: 0, by: -1) {
        offset += (ranges[i].start + (rest % shape[i]) * ranges[i].step) * strides[i]
        rest /= shape[i]
      }
      values[flat] = x.values[offset]
    }
    return ConstantTensor(shape: shape, values: values, isInteger: x.isInteger)
  }

  /// `x` with its axes permuted (`perm[i]` is the input axis of output axis `i`).
  static func transpose(_ x: ConstantTensor, _ perm: [Int]) -> ConstantTensor {
    let shape = perm.map { x.shape[$0] }, inStrides = rowMajorStrides(x.shape)
    let total = shape.reduce(1, *)
    var values = [Double](repeating: 0, count: total)
    for flat in 0..<total {
      var rest = flat, offset = 0
      for i in stride(from: shape.count - 1, through: 0, by: -1) {
        offset += (rest % shape[i]) * inStrides[perm[i]]
        rest /= shape[i]
      }
      values[flat] = x.values[offset]
    }
    return ConstantTensor(shape: shape, values: values, isInteger: x.isInteger)
  }

  static func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
    return strides
  }
}

/// ONNX's Reshape target rule: `0` copies the input extent (unless `allowzero`), one `-1` is
/// inferred.
enum ReshapeRule {
  static func outputShape(_ node: Onnx_NodeProto, input: [Int], target: [Int]) throws -> [Int] {
    let allowZero = node.int("allowzero", 0) != 0
    var out = target.enumerated().map { i, v in v == 0 && !allowZero && i < input.count ? input[i] : v }
    let count = input.reduce(1, *)
    let holes = out.indices.filter { out[$0] == -1 }
    let known = out.filter { $0 != -1 }.reduce(1, *)
    guard holes.count <= 1, out.allSatisfy({ $0 >= -1 }) else {
      throw node.unsupported("has target shape \(target), which has more than one -1 or a negative extent")
    }
    if let hole = holes.first {
      guard known > 0, count % known == 0 else {
        throw node.unsupported("cannot reshape \(input) (\(count) elements) to \(target)")
      }
      out[hole] = count / known
    }
    guard out.reduce(1, *) == count else {
      throw node.unsupported("cannot reshape \(input) (\(count) elements) to \(target)")
    }
    return out
  }
}
