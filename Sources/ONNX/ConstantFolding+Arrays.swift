import Foundation

/// The array operations of constant folding on ``ConstantTensor``s: NumPy broadcasting,
/// squeeze and unsqueeze, concat, gather, slice and transpose.
extension ConstantFolding {
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

  static func broadcast(
    _ node: Onnx_NodeProto, _ x: ConstantTensor, _ y: ConstantTensor, _ f: (Double, Double) -> Double
  ) throws -> ConstantTensor {
    let shape = try broadcastShape(node, x.shape, y.shape)
    let a = try expand(node, x, shape), b = try expand(node, y, shape)
    return ConstantTensor(shape: shape, values: zip(a.values, b.values).map(f), isInteger: x.isInteger)
  }

  static func squeeze(_ node: Onnx_NodeProto, _ x: ConstantTensor, axes: [Int], unsqueeze: Bool) throws
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

  static func concat(_ node: Onnx_NodeProto, _ parts: [ConstantTensor], axis: Int) throws -> ConstantTensor {
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

  static func gather(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ indices: ConstantTensor, axis: Int) throws
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

  static func slice(_ node: Onnx_NodeProto, _ x: ConstantTensor, _ inputs: [ConstantTensor?]) throws
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
