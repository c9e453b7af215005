/// Reductions and their gradients (the output gradient broadcast back over reduced axes).
extension Variable {
  /// Sum over `axes` (all when nil).
  public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
    let inShape = shape
    let kept = value.sum(axes: axes, keepDims: true).shape
    return Variable.record("sum", value.sum(axes: axes, keepDims: keepDims), parents: [self]) { g in
      [g.reshaped(kept).broadcast(to: inShape)]
    }
  }

  /// Mean over `axes` (all when nil).
  public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
    let n = value.count / Swift.max(1, value.sum(axes: axes, keepDims: true).count)
    return sum(axes: axes, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
  }

  /// Maximum over one axis; the gradient goes to the first maximal element.
  public func max(axis: Int, keepDims: Bool = false) -> Variable {
    let a = axis < 0 ? axis + value.rank : axis
    let arg = value.argmax(axis: a)
    let inShape = shape
    let kept = value.max(axes: [a], keepDims: true).shape
    let (outer, n, inner) = value.split3(a)
    return Variable.record("max", value.max(axes: [a], keepDims: keepDims), parents: [self]) { g in
      let gk = g.reshaped(kept)
      var dx = Tensor<Float>(zeros: inShape)
      for o in 0..<outer {
        for i in 0..<inner {
          let k = Int(arg.scalars[o * inner + i])
          dx.scalars[(o * n + k) * inner + i] = gk.scalars[o * inner + i]
        }
      }
      return [dx]
    }
  }
}
