/// Softmax and log-softmax along an axis, with their Jacobian-vector products:
/// softmax: dx = y ⊙ (g − Σ g⊙y); log-softmax: dx = g − softmax(x) ⊙ Σ g.
extension Variable {
  public func softmax(axis: Int = -1) -> Variable {
    let y = value.softmax(axis: axis)
    let a = axis < 0 ? axis + value.rank : axis
    return Variable.record("softmax", y, parents: [self]) { g in
      let s = (g * y).sum(axes: [a], keepDims: true)
      return [y * (g - s)]
    }
  }

  public func logSoftmax(axis: Int = -1) -> Variable {
    let y = value.logSoftmax(axis: axis)
    let a = axis < 0 ? axis + value.rank : axis
    return Variable.record("logSoftmax", y, parents: [self]) { g in
      [g - y.exp() * g.sum(axes: [a], keepDims: true)]
    }
  }
}
