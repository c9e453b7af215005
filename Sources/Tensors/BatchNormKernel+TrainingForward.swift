extension BatchNormKernel {
  /// The training-mode forward pass in one sweep per channel: the batch statistics of a channel
  /// (as ``statistics(_:epsilon:)`` computes them), then that channel normalised and activated
  /// (as ``normalize(_:mean:invStd:gamma:beta:activation:)`` does) while its values — a few
  /// hundred KiB for the first layers of a detector — are still in the second-level cache.
  /// Separately, the normalisation read the whole input once more from memory. The arithmetic is
  /// that of the two kernels, so the output and statistics are bit-identical to theirs.
  public static func trainingForward(
    _ x: Tensor<Float>, epsilon: Float, gamma: Tensor<Float>, beta: Tensor<Float>, activation: Activation? = nil
  ) -> (output: Tensor<Float>, statistics: Statistics) {
    let (n, c, inner) = dims(x.shape)
    var y = [Float].uninitialized(count: x.count)  // every element is written below
    let zeros = [Float](repeating: 0, count: c)  // what an empty batch leaves
    var statistics = Statistics(mean: zeros, variance: zeros, invStd: zeros)
    y.withMutableBase { py in
      let out = SendablePointer(py)
      statistics = trainingSweep(x, epsilon: epsilon, gamma: gamma, beta: beta, activation: activation) {
        px, ch, scale, shift, _ in
        for i in 0..<n {
          let offset = (i * c + ch) * inner
          applyAffine(px + offset, out.p + offset, inner, scale: scale, shift: shift, activation)
        }
      }
    }
    return (Tensor(shape: x.shape, scalars: y), statistics)
  }

  /// The sweep both training forward passes share: each channel's batch statistics
  /// (``statisticsSweep(_:epsilon:scratch:_:)``), then `body` with the input, the channel and its
  /// normalisation's scale and shift (``affine(mean:invStd:gamma:beta:)``), while the channel is
  /// in cache. `body` may use `scratch` floats private to its chunk of channels.
  static func trainingSweep(
    _ x: Tensor<Float>, epsilon: Float, gamma: Tensor<Float>, beta: Tensor<Float>, activation: Activation?,
    scratch: Int = 0,
    _ body: (
      _ x: UnsafePointer<Float>, _ ch: Int, _ scale: Float, _ shift: Float, _ scratch: UnsafeMutablePointer<Float>
    )
      -> Void
  ) -> Statistics {
    if case .leakyRelu(let a) = activation {
      precondition(a >= 0, "batchNorm: a fused leaky ReLU needs a slope ≥ 0, got \(a)")
    }
    let c = dims(x.shape).c
    precondition(gamma.count == c && beta.count == c, "batchNorm: gamma and beta must have \(c) elements")
    return statisticsSweep(x, epsilon: epsilon, scratch: scratch) { px, ch, mean, invStd, buffer in
      let (scale, shift) = affine(mean: mean, invStd: invStd, gamma: gamma.scalars[ch], beta: beta.scalars[ch])
      body(px, ch, scale, shift, buffer)
    }
  }
}
