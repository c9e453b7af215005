import Autograd

extension Variable {
  /// Rows `indices` of a matrix `[R, K]`, as `[indices.count, K]`; the gradient is scattered
  /// back (added, so repeated indices accumulate). A fused op of this target (the YOLO loss
  /// picks its assigned predictions with it); its gradient is checked against finite
  /// differences in `TrainingTests`.
  public func gatherRows(_ indices: [Int]) -> Variable {
    precondition(value.rank == 2, "gatherRows: input must be [R, K], got \(shape)")
    let (r, k) = (shape[0], shape[1])
    precondition(indices.allSatisfy { $0 >= 0 && $0 < r }, "gatherRows: an index is outside 0..<\(r)")
    let x = value
    var out = [Float](repeating: 0, count: indices.count * k)
    for (o, i) in indices.enumerated() {
      for c in 0..<k { out[o * k + c] = x.scalars[i * k + c] }
    }
    return Variable.record("gatherRows", Tensor(shape: [indices.count, k], scalars: out), parents: [self]) { g in
      var dx = Tensor<Float>(zeros: [r, k])
      for (o, i) in indices.enumerated() {
        for c in 0..<k { dx.scalars[i * k + c] += g.scalars[o * k + c] }
      }
      return [dx]
    }
  }
}
