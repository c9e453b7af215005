/// Reductions over axes. Every reduction runs in a fixed order, so results are bit-reproducible.
extension Tensor where Scalar == Float {
  /// Views the tensor as [outer, n, inner] around `axis`.
  public func split3(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (Array(shape[..<axis]).product, shape[axis], Array(shape[(axis + 1)...]).product)
  }

  func normalizedAxes(_ axes: [Int], op: String) -> [Int] {
    let r = axes.map { $0 < 0 ? $0 + rank : $0 }
    precondition(r.allSatisfy { $0 >= 0 && $0 < rank }, "\(op): axes \(axes) out of range for shape \(shape)")
    return Array(Set(r)).sorted()
  }

  /// Reduces one axis with `combine`, starting each output from `initial`.
  func reduce(axis: Int, initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
    let (outer, n, inner) = split3(axis)
    var out = [Float](repeating: initial, count: outer * inner)
    scalars.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          for k in 0..<n {
            let base = (o * n + k) * inner
            for i in 0..<inner { y[o * inner + i] = combine(y[o * inner + i], x[base + i]) }
          }
        }
      }
    }
    var s = shape
    s[axis] = 1
    return Tensor(shape: s, scalars: out)
  }

  /// Sum over `axes` (all axes when nil). Reduced axes are kept with extent 1 if `keepDims`.
  public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    reduceAxes(axes, keepDims: keepDims, op: "sum", initial: 0, +)
  }

  /// Mean over `axes` (all axes when nil).
  public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    let ax = axes.map { normalizedAxes($0, op: "mean") } ?? Array(0..<rank)
    let n = ax.map { shape[$0] }.product
    return sum(axes: ax, keepDims: keepDims) / Float(Swift.max(n, 1))
  }

  /// Maximum over `axes` (all axes when nil).
  public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    reduceAxes(axes, keepDims: keepDims, op: "max", initial: -.infinity) { Swift.max($0, $1) }
  }

  func reduceAxes(_ axes: [Int]?, keepDims: Bool, op: String, initial: Float, _ f: (Float, Float) -> Float) -> Tensor {
    let ax = axes.map { normalizedAxes($0, op: op) } ?? Array(0..<rank)
    var t = self
    for a in ax { t = t.reduce(axis: a, initial: initial, f) }
    if keepDims { return t }
    return t.reshaped(shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element))
  }

  /// Index of the maximum along `axis` (first one on ties); the axis is removed.
  public func argmax(axis: Int) -> Tensor<Int32> {
    let a = axis < 0 ? axis + rank : axis
    let (outer, n, inner) = split3(a)
    var out = [Int32](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        var best = -Float.infinity, arg = 0
        for k in 0..<n where scalars[(o * n + k) * inner + i] > best || k == 0 {
          best = scalars[(o * n + k) * inner + i]; arg = k
        }
        out[o * inner + i] = Int32(arg)
      }
    }
    var s = shape
    s.remove(at: a)
    return Tensor<Int32>(shape: s, scalars: out)
  }

  /// Sums a broadcast gradient back to `target` (the shape an operand had before broadcasting).
  public func sum(toShape target: [Int]) -> Tensor {
    if shape == target { return self }
    let offset = rank - target.count
    precondition(offset >= 0, "sum(toShape:): cannot reduce \(shape) to \(target)")
    var axes = Array(0..<offset)
    for i in 0..<target.count where target[i] == 1 && shape[i + offset] != 1 { axes.append(i + offset) }
    precondition(
      axes.count > 0 || shape.product == target.product, "sum(toShape:): cannot reduce \(shape) to \(target)")
    return sum(axes: axes, keepDims: true).reshaped(target)
  }

  /// Softmax along `axis`, computed stably by subtracting the maximum.
  public func softmax(axis: Int = -1) -> Tensor {
    softmaxImpl(axis: axis < 0 ? axis + rank : axis, log: false)
  }

  /// Log-softmax along `axis` (log-sum-exp with the maximum subtracted).
  public func logSoftmax(axis: Int = -1) -> Tensor {
    softmaxImpl(axis: axis < 0 ? axis + rank : axis, log: true)
  }

  func softmaxImpl(axis: Int, log: Bool) -> Tensor {
    let (outer, n, inner) = split3(axis)
    var out = [Float](repeating: 0, count: count)
    scalars.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          for i in 0..<inner {
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[(o * n + k) * inner + i]) }
            var s: Float = 0
            for k in 0..<n { s += LibM.exp(x[(o * n + k) * inner + i] - m) }
            let ls = LibM.log(s)
            for k in 0..<n {
              let j = (o * n + k) * inner + i
              y[j] = log ? x[j] - m - ls : LibM.exp(x[j] - m) / s
            }
          }
        }
      }
    }
    return Tensor(shape: shape, scalars: out)
  }
}
