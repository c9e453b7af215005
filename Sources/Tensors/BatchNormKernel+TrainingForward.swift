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
    if case .leakyRelu(let a) = activation {
      precondition(a >= 0, "batchNorm: a fused leaky ReLU needs a slope ≥ 0, got \(a)")
    }
    let (n, c, inner) = dims(x.shape)
    precondition(gamma.count == c && beta.count == c, "batchNorm: gamma and beta must have \(c) elements")
    var mean = [Float](repeating: 0, count: c), variance = mean, invStd = mean
    var y = [Float].uninitialized(count: x.count)  // every element is written below
    x.scalars.withBase { px in
      y.withMutableBase { py in
        mean.withMutableBase { pm in
          variance.withMutableBase { pv in
            invStd.withMutableBase { pi in
              let (out, m, v, s) = (SendablePointer(py), SendablePointer(pm), SendablePointer(pv), SendablePointer(pi))
              Parallel.forEachChunk(Parallel.chunks(c)) { _, channels in
                for ch in channels {
                  (m.p[ch], v.p[ch], s.p[ch]) = channelStatistics(px, ch, n: n, c: c, inner: inner, epsilon: epsilon)
                  let (scale, shift) = affine(
                    mean: m.p[ch], invStd: s.p[ch], gamma: gamma.scalars[ch], beta: beta.scalars[ch])
                  for i in 0..<n {
                    let offset = (i * c + ch) * inner
                    applyAffine(px + offset, out.p + offset, inner, scale: scale, shift: shift, activation)
                  }
                }
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: x.shape, scalars: y), Statistics(mean: mean, variance: variance, invStd: invStd))
  }
}
