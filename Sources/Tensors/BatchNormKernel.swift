/// Fused batch-normalisation kernels over the channel axis 1 of [N, C, …] tensors
/// (Ioffe & Szegedy 2015). One pass computes the statistics, one normalises; the backward pass
/// needs only the input, the batch mean and 1/σ. Channels are processed in parallel chunks and
/// every sum runs in a fixed order (in Double), so results are reproducible.
public enum BatchNormKernel {
  /// Per-channel statistics of a training-mode forward pass.
  public struct Statistics: Sendable {
    public var mean: [Float]
    /// Biased (population) variance, the one used to normalise.
    public var variance: [Float]
    public var invStd: [Float]
  }

  static func dims(_ shape: [Int]) -> (n: Int, c: Int, inner: Int) {
    precondition(shape.count >= 2, "batchNorm: input must be [N, C, …], got \(shape)")
    return (shape[0], shape[1], Array(shape[2...]).product)
  }

  /// Batch mean and biased variance per channel.
  public static func statistics(_ x: Tensor<Float>, epsilon: Float) -> Statistics {
    let (n, c, inner) = dims(x.shape)
    var mean = [Float](repeating: 0, count: c), variance = mean, invStd = mean
    let count = Double(n * inner)
    x.scalars.withBase { px in
      mean.withMutableBase { pm in
        variance.withMutableBase { pv in
          invStd.withMutableBase { pi in
            let (m, v, s) = (SendablePointer(pm), SendablePointer(pv), SendablePointer(pi))
            Parallel.forEachChunk(Parallel.chunks(c)) { _, channels in
              for ch in channels {
                var sum = 0.0
                for i in 0..<n { sum += Double(VectorSums.sum(px + (i * c + ch) * inner, inner)) }
                let mu = sum / count
                var sq = 0.0
                for i in 0..<n {
                  sq += Double(VectorSums.squaredDeviations(px + (i * c + ch) * inner, inner, mean: Float(mu)))
                }
                let variance = sq / count
                m.p[ch] = Float(mu)
                v.p[ch] = Float(variance)
                s.p[ch] = Float(1 / (variance + Double(epsilon)).squareRoot())
              }
            }
          }
        }
      }
    }
    return Statistics(mean: mean, variance: variance, invStd: invStd)
  }

  /// y = γ·(x − μ)·invStd + β per channel.
  public static func normalize(_ x: Tensor<Float>, mean: [Float], invStd: [Float], gamma: Tensor<Float>, beta: Tensor<Float>) -> Tensor<Float> {
    let (n, c, inner) = dims(x.shape)
    var y = [Float].uninitialized(count: x.count)
    let scales = (0..<c).map { gamma.scalars[$0] * invStd[$0] }
    let shifts = (0..<c).map { beta.scalars[$0] - mean[$0] * scales[$0] }
    x.scalars.withBase { px in
      y.withMutableBase { py in
        let out = SendablePointer(py)
        Parallel.forEachChunk(Parallel.chunks(n)) { _, images in
          for i in images {
            for ch in 0..<c {
              let scale = scales[ch], shift = shifts[ch]
              let base = (i * c + ch) * inner
              for j in 0..<inner { out.p[base + j] = px[base + j] * scale + shift }
            }
          }
        }
      }
    }
    return Tensor(shape: x.shape, scalars: y)
  }

  /// Gradients of the normalisation with respect to x, γ and β. In training mode the batch
  /// statistics depend on x: dx = γ·invStd·(g − mean(g) − x̂·mean(g·x̂)); in inference mode
  /// they are constants: dx = γ·invStd·g.
  public static func backward(_ g: Tensor<Float>, x: Tensor<Float>, mean: [Float], invStd: [Float], gamma: Tensor<Float>, training: Bool)
    -> (dx: Tensor<Float>, dgamma: Tensor<Float>, dbeta: Tensor<Float>)
  {
    let (n, c, inner) = dims(x.shape)
    var dx = [Float].uninitialized(count: x.count)
    var dgamma = [Float](repeating: 0, count: c), dbeta = dgamma
    let count = Float(n * inner)
    x.scalars.withBase { px in
      g.scalars.withBase { pg in
        dx.withMutableBase { pdx in
          dgamma.withMutableBase { pdg in
            dbeta.withMutableBase { pdb in
              let (out, dG, dB) = (SendablePointer(pdx), SendablePointer(pdg), SendablePointer(pdb))
              Parallel.forEachChunk(Parallel.chunks(c)) { _, channels in
                for ch in channels {
                  let mu = mean[ch], s = invStd[ch]
                  var sumG = 0.0, sumGX = 0.0
                  for i in 0..<n {
                    let base = (i * c + ch) * inner
                    let (a, b) = VectorSums.sumAndCenteredDot(pg + base, px + base, inner, mean: mu)
                    sumG += Double(a); sumGX += Double(b)
                  }
                  let dbeta = Float(sumG), dgamma = Float(sumGX) * s
                  dB.p[ch] = dbeta; dG.p[ch] = dgamma
                  let k = gamma.scalars[ch] * s
                  let mG = dbeta / count, mGX = dgamma / count
                  for i in 0..<n {
                    let base = (i * c + ch) * inner
                    if training {
                      // k·(g − mG − (x − μ)·s·mGX) = k·g − a·(x − μ) + c; centring x first keeps
                      // the precision when |μ| is large against σ
                      let a = k * s * mGX, c = -k * mG
                      for j in 0..<inner { out.p[base + j] = k * pg[base + j] - a * (px[base + j] - mu) + c }
                    } else {
                      for j in 0..<inner { out.p[base + j] = k * pg[base + j] }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: x.shape, scalars: dx), Tensor(shape: [c], scalars: dgamma), Tensor(shape: [c], scalars: dbeta))
  }
}
