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

  /// The sweep both training forward passes share: channels in parallel chunks; for each, its
  /// batch statistics (``channelStatistics(_:_:n:c:inner:epsilon:)``), then `body` with the
  /// input, the channel and its normalisation's scale and shift
  /// (``affine(mean:invStd:gamma:beta:)``), while the channel is in cache. `body` may use
  /// `scratch` floats private to its chunk.
  static func trainingSweep(
    _ x: Tensor<Float>, epsilon: Float, gamma: Tensor<Float>, beta: Tensor<Float>, activation: Activation?,
    scratch: Int = 1,
    _ body: (
      _ x: UnsafePointer<Float>, _ ch: Int, _ scale: Float, _ shift: Float, _ scratch: UnsafeMutablePointer<Float>
    )
      -> Void
  ) -> Statistics {
    if case .leakyRelu(let a) = activation {
      precondition(a >= 0, "batchNorm: a fused leaky ReLU needs a slope ≥ 0, got \(a)")
    }
    let (n, c, inner) = dims(x.shape)
    precondition(gamma.count == c && beta.count == c, "batchNorm: gamma and beta must have \(c) elements")
    var mean = [Float](repeating: 0, count: c), variance = mean, invStd = mean
    x.scalars.withBase { px in
      mean.withMutableBase { pm in
        variance.withMutableBase { pv in
          invStd.withMutableBase { pi in
            let (m, v, s) = (SendablePointer(pm), SendablePointer(pv), SendablePointer(pi))
            Parallel.forEachChunk(Parallel.chunks(c)) { _, channels in
              var buffer = [Float].uninitialized(count: max(1, scratch))  // withMutableBase needs storage
              buffer.withMutableBase { b in
                for ch in channels {
                  (m.p[ch], v.p[ch], s.p[ch]) = channelStatistics(px, ch, n: n, c: c, inner: inner, epsilon: epsilon)
                  let (scale, shift) = affine(
                    mean: m.p[ch], invStd: s.p[ch], gamma: gamma.scalars[ch], beta: beta.scalars[ch])
                  body(px, ch, scale, shift, b)
                }
              }
            }
          }
        }
      }
    }
    return Statistics(mean: mean, variance: variance, invStd: invStd)
  }
}
