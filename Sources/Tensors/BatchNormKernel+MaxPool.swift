extension BatchNormKernel {
  /// The training-mode forward pass followed by a 2×2, stride-2 max pool (floor mode, no
  /// padding), in one sweep per channel: the batch statistics (``statistics(_:epsilon:)``), then
  /// each pair of rows normalised and activated into a two-row scratch that stays in the
  /// first-level cache and pooled from there with the winners' indices
  /// (``Pooling/maxForward(_:_:)``'s comparisons). The full-size activated output — four times
  /// the pooled one — is never written, and the pool does not read it back. Output, argmax and
  /// statistics are bit-identical to ``trainingForward(_:epsilon:gamma:beta:activation:)``
  /// followed by ``Pooling/maxForward(_:_:)``.
  public static func trainingForwardMaxPool(
    _ x: Tensor<Float>, epsilon: Float, gamma: Tensor<Float>, beta: Tensor<Float>, activation: Activation? = nil
  ) -> (output: Tensor<Float>, argmax: Tensor<Int32>, statistics: Statistics) {
    precondition(
      x.rank == 4 && x.shape[2] >= 2 && x.shape[3] >= 2,
      "batchNorm + max pool: input must be NCHW of 2×2 or more, got \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow, inner) = (h / 2, w / 2, h * w)
    var y = [Float].uninitialized(count: n * c * oh * ow)  // every element is written below
    var arg = [Int32].uninitialized(count: y.count)
    let zeros = [Float](repeating: 0, count: c)  // what an empty batch leaves
    var statistics = Statistics(mean: zeros, variance: zeros, invStd: zeros)
    y.withMutableBase { py in
      arg.withMutableBase { pa in
        let (out, idx) = (SendablePointer(py), SendablePointer(pa))
        statistics = trainingSweep(
          x, epsilon: epsilon, gamma: gamma, beta: beta, activation: activation, scratch: 2 * w
        ) { px, ch, scale, shift, rows in
          for i in 0..<n {
            let plane = px + (i * c + ch) * inner, pooled = (i * c + ch) * oh * ow
            for oi in 0..<oh {
              applyAffine(plane + 2 * oi * w, rows, 2 * w, scale: scale, shift: shift, activation)
              Pooling.maxRow2x2(
                rows, rows + w, topIndex: 2 * oi * w, bottomIndex: (2 * oi + 1) * w, ow: ow,
                into: out.p + pooled + oi * ow, argmax: idx.p + pooled + oi * ow)
            }
          }
        }
      }
    }
    let shape = [n, c, oh, ow]
    return (Tensor(shape: shape, scalars: y), Tensor(shape: shape, scalars: arg), statistics)
  }

  /// The training-mode backward pass of ``trainingForwardMaxPool(_:epsilon:gamma:beta:activation:)``
  /// for the gradient `g` of the pooled output: each plane's full-size gradient (zero but at
  /// the winners, as ``Pooling/maxBackward(_:argmax:inputShape:)`` routes it) is built in
  /// per-chunk scratch where it is needed — once per channel and kept for the second pass when
  /// the channel's planes fit in ``keptPlanesBytes``, once per pass otherwise — instead of as a
  /// tensor written once and read twice. Bit-identical to ``Pooling/maxBackward(_:argmax:inputShape:)``
  /// followed by ``backward(_:x:mean:invStd:gamma:training:activation:beta:)``.
  public static func backwardMaxPool(
    _ g: Tensor<Float>, argmax: Tensor<Int32>, x: Tensor<Float>, mean: [Float], invStd: [Float],
    gamma: Tensor<Float>, activation: Activation? = nil, beta: Tensor<Float>? = nil
  ) -> (dx: Tensor<Float>, dgamma: Tensor<Float>, dbeta: Tensor<Float>) {
    let (_, c, inner) = dims(x.shape)
    precondition(
      g.shape == argmax.shape && g.rank == 4 && x.rank == 4
        && g.shape == [x.shape[0], x.shape[1], x.shape[2] / 2, x.shape[3] / 2],
      "batchNorm + max pool backward: gradient \(g.shape), argmax \(argmax.shape) and input \(x.shape) do not match")
    let pooled = g.shape[2] * g.shape[3]
    var result: (dx: Tensor<Float>, dgamma: Tensor<Float>, dbeta: Tensor<Float>)?
    g.scalars.withBase { pg in
      argmax.scalars.withBase { pa in
        result = backward(
          x: x, mean: mean, invStd: invStd, gamma: gamma, training: true, activation: activation, beta: beta,
          scratch: inner
        ) { i, ch, plane in
          plane.update(repeating: 0, count: inner)
          let first = (i * c + ch) * pooled
          for j in first..<(first + pooled) { plane[Int(pa[j])] += pg[j] }
          return UnsafePointer(plane)
        }
      }
    }
    return result ?? (Tensor(zeros: x.shape), Tensor(zeros: [c]), Tensor(zeros: [c]))
  }
}
