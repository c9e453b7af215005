/// Matrix product [m, k] × [k, n] through BLAS; dA = G·Bᵀ, dB = Aᵀ·G.
extension Variable {
  public func matmul(_ other: Variable) -> Variable {
    let (a, b) = (value, other.value)
    return Variable.record("matmul", Tensor.matmul(a, b), parents: [self, other]) { g in
      [Tensor.matmul(g, b, transposeB: true), Tensor.matmul(a, g, transposeA: true)]
    }
  }

  /// A fully connected layer: x [N, in] · Wᵀ (W is [out, in], PyTorch's layout) + b [out].
  public func dense(weight: Variable, bias: Variable?) -> Variable {
    let (x, w) = (value, weight.value)
    var y = Tensor.matmul(x, w, transposeB: true)
    if let b = bias { y = y + b.value }
    let parents = [self, weight] + (bias.map { [$0] } ?? [])
    return Variable.record("dense", y, parents: parents) { g in
      let grads: [Tensor<Float>?] = [Tensor.matmul(g, w), Tensor.matmul(g, x, transposeA: true)]
      return grads + (bias == nil ? [] : [g.sum(axes: [0])])
    }
  }
}
