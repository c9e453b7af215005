/// Fused batch-normalisation kernels over the channel axis 1 of [N, C, …] tensors
/// (Ioffe & Szegedy 2015). One pass computes the statistics, one normalises; the backward pass
/// needs only the input, the batch mean and 1/σ. Channels are processed in parallel chunks and
/// every sum runs in a fixed order (in Double), so results are reproducible.
public enum BatchNormKernel {
  /// An activation applied to the normalised values inside the same pass (conv → BN → ReLU or
  /// leaky ReLU is how YOLO-style and SqueezeNet-style networks are built): the forward writes
  /// the activated output directly, and the backward applies the activation's derivative —
  /// read off the sign of the output — while it reads the incoming gradient, so neither
  /// direction materialises the intermediate tensor.
  public enum Activation: Equatable, Sendable {
    case relu
    /// Leaky ReLU with a slope ≥ 0 for negative inputs (the output's sign must be the input's).
    case leakyRelu(Float)

    /// The derivative for non-positive inputs.
    public var negativeSlope: Float {
      switch self {
      case .relu: return 0
      case .leakyRelu(let a): return a
      }
    }
  }

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
    statisticsSweep(x, epsilon: epsilon) { _, _, _, _, _ in }
  }

  /// The batch statistics of every channel (``channelStatistics(_:_:n:c:inner:epsilon:)``),
  /// each followed by `body` with the input, the channel, its mean and 1/σ while the channel is
  /// still in cache; `body` may use `scratch` floats private to its chunk of channels.
  static func statisticsSweep(
    _ x: Tensor<Float>, epsilon: Float, scratch: Int = 0,
    _ body: (
      _ x: UnsafePointer<Float>, _ ch: Int, _ mean: Float, _ invStd: Float, _ scratch: UnsafeMutablePointer<Float>
    ) -> Void
  ) -> Statistics {
    let (n, c, inner) = dims(x.shape)
    var mean = [Float](repeating: 0, count: c), variance = mean, invStd = mean
    x.scalars.withBase { px in
      mean.withMutableBase { pm in
        variance.withMutableBase { pv in
          invStd.withMutableBase { pi in
            let (m, v, s) = (SendablePointer(pm), SendablePointer(pv), SendablePointer(pi))
            forEachChannel(c, scratch: scratch) { ch, buffer in
              (m.p[ch], v.p[ch], s.p[ch]) = channelStatistics(px, ch, n: n, c: c, inner: inner, epsilon: epsilon)
              body(px, ch, m.p[ch], s.p[ch], buffer)
            }
          }
        }
      }
    }
    return Statistics(mean: mean, variance: variance, invStd: invStd)
  }

  /// Runs `body` for each of `c` channels, in the fixed parallel chunks of ``Parallel``, with
  /// `scratch` floats private to each chunk.
  static func forEachChannel(
    _ c: Int, scratch: Int, _ body: (_ ch: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void
  ) {
    Parallel.forEachChunk(Parallel.chunks(c)) { _, channels in
      var buffer = [Float].uninitialized(count: max(1, scratch))  // withMutableBase needs storage
      buffer.withMutableBase { b in
        for ch in channels { body(ch, b) }
      }
    }
  }

  /// Mean, biased variance and 1/σ of channel `ch` of an [n, c, inner] tensor: sums per plane
  /// (vectorised) accumulated in Double in plane order, the squared deviations in a second pass
  /// around the mean (which keeps the precision when |μ| is large against σ).
  @inline(__always)
  static func channelStatistics(
    _ px: UnsafePointer<Float>, _ ch: Int, n: Int, c: Int, inner: Int, epsilon: Float
  ) -> (mean: Float, variance: Float, invStd: Float) {
    let count = Double(n * inner)
    var sum = 0.0
    for i in 0..<n { sum += Double(VectorSums.sum(px + (i * c + ch) * inner, inner)) }
    let mu = sum / count
    var sq = 0.0
    for i in 0..<n { sq += Double(VectorSums.squaredDeviations(px + (i * c + ch) * inner, inner, mean: Float(mu))) }
    let variance = sq / count
    return (Float(mu), Float(variance), Float(1 / (variance + Double(epsilon)).squareRoot()))
  }

  /// y = γ·(x − μ)·invStd + β per channel, followed by `activation` when given.
  public static func normalize(
    _ x: Tensor<Float>, mean: [Float], invStd: [Float], gamma: Tensor<Float>, beta: Tensor<Float>,
    activation: Activation? = nil
  ) -> Tensor<Float> {
    if case .leakyRelu(let a) = activation {
      precondition(a >= 0, "batchNorm: a fused leaky ReLU needs a slope ≥ 0, got \(a)")
    }
    let (n, c, inner) = dims(x.shape)
    var y = [Float].uninitialized(count: x.count)
    let (scales, shifts) = affine(mean: mean, invStd: invStd, gamma: gamma, beta: beta)
    x.scalars.withBase { px in
      y.withMutableBase { py in
        let out = SendablePointer(py)
        Parallel.forEachChunk(Parallel.chunks(n)) { _, images in
          for i in images {
            for ch in 0..<c {
              let offset = (i * c + ch) * inner
              applyAffine(px + offset, out.p + offset, inner, scale: scales[ch], shift: shifts[ch], activation)
            }
          }
        }
      }
    }
    return Tensor(shape: x.shape, scalars: y)
  }

  /// The per-channel scale γ·invStd and shift β − μ·scale that ``normalize`` applies, so that
  /// y = x·scale + shift. A convolution that applies them to its own output
  /// (`Conv2D.Epilogue`) gets them from here and so computes exactly what `normalize` would.
  public static func affine(mean: [Float], invStd: [Float], gamma: Tensor<Float>, beta: Tensor<Float>) -> (
    scales: [Float], shifts: [Float]
  ) {
    let c = gamma.count
    precondition(
      mean.count == c && invStd.count == c && beta.count == c,
      "batchNorm: mean, invStd, gamma and beta must all have \(c) channels")
    let pairs = (0..<c).map {
      affine(mean: mean[$0], invStd: invStd[$0], gamma: gamma.scalars[$0], beta: beta.scalars[$0])
    }
    return (pairs.map(\.scale), pairs.map(\.shift))
  }

  /// One channel's scale γ·invStd and shift β − μ·scale (the one formula every kernel uses).
  @inline(__always)
  static func affine(mean: Float, invStd: Float, gamma: Float, beta: Float) -> (scale: Float, shift: Float) {
    let scale = gamma * invStd
    return (scale, beta - mean * scale)
  }

  /// dst[j] = activation(src[j]·scale + shift) for `count` elements of two separate buffers
  /// (the convolution epilogue, `Conv2D.Epilogue`, computes the same expression in place).
  @inline(__always)
  static func applyAffine(
    _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int, scale: Float, shift: Float,
    _ activation: Activation?
  ) {
    switch activation {
    case nil: for j in 0..<count { dst[j] = src[j] * scale + shift }
    case .relu?: for j in 0..<count { dst[j] = max(src[j] * scale + shift, 0) }
    case .leakyRelu(let a)?:
      for j in 0..<count { let z = src[j] * scale + shift; dst[j] = z > 0 ? z : a * z }
    }
  }

  /// Gradients of the normalisation with respect to x, γ and β. In training mode the batch
  /// statistics depend on x: dx = γ·invStd·(g − mean(g) − x̂·mean(g·x̂)); in inference mode
  /// they are constants: dx = γ·invStd·g. With a fused activation, `g` is the gradient of the
  /// activated output and is first multiplied by the activation's derivative there. That
  /// derivative is read off the sign of the normalised value z = x·scale + shift, recomputed
  /// from `x` with the forward's scale and shift (from `beta`, as ``affine(mean:invStd:gamma:beta:)``
  /// computes them): the activated output is positive exactly where z is, and recomputing z
  /// costs less than reading a third tensor from memory in both passes.
  public static func backward(
    _ g: Tensor<Float>, x: Tensor<Float>, mean: [Float], invStd: [Float], gamma: Tensor<Float>, training: Bool,
    activation: Activation? = nil, beta: Tensor<Float>? = nil
  )
    -> (dx: Tensor<Float>, dgamma: Tensor<Float>, dbeta: Tensor<Float>)
  {
    precondition(g.shape == x.shape, "batchNorm backward: gradient \(g.shape) and input \(x.shape) differ")
    let (_, c, inner) = dims(x.shape)
    var result: (dx: Tensor<Float>, dgamma: Tensor<Float>, dbeta: Tensor<Float>)?
    g.scalars.withBase { pg in
      result = backward(
        x: x, mean: mean, invStd: invStd, gamma: gamma, training: training, activation: activation, beta: beta,
        scratch: 0
      ) { i, ch, _ in pg + (i * c + ch) * inner }
    }
    return result ?? (Tensor(zeros: x.shape), Tensor(zeros: [c]), Tensor(zeros: [c]))
  }

  /// The most bytes of built gradient planes a chunk keeps for the second pass over a channel
  /// (``backward(x:mean:invStd:gamma:training:activation:beta:scratch:gradient:)``) instead of
  /// building them again. With BatchNorm + leaky ReLU + max pool, batch 16, on the AVX2 EPYC
  /// (best of 2,000 calls, alternating builds): 8 channels at 96×96 (576 KiB of planes per
  /// channel) 0.45–0.52 ms kept against 0.62–0.70 built twice; 16 channels at 48×48 0.26–0.29
  /// against 0.32–0.37; 64 channels at 12×12 0.09–0.11 against 0.12–0.13.
  static let keptPlanesBytes = 1024 * 1024

  /// The backward pass with the output gradient of image `i`, channel `ch` given by `gradient`
  /// (`scratch` is `scratch` floats private to the calling chunk; with `scratch` > 0, `gradient`
  /// builds the plane there and returns it, else it returns the caller's plane and ignores it).
  /// When a channel's `n` built planes fit in ``keptPlanesBytes``, each gets its own scratch
  /// and `gradient` is called once per plane, in the first pass, the second pass reading the
  /// planes it built; otherwise `gradient` builds each plane again for the second pass. The
  /// arithmetic of ``backward(_:x:mean:invStd:gamma:training:activation:beta:)`` either way.
  static func backward(
    x: Tensor<Float>, mean: [Float], invStd: [Float], gamma: Tensor<Float>, training: Bool, activation: Activation?,
    beta: Tensor<Float>?, scratch scratchCount: Int,
    gradient: (_ i: Int, _ ch: Int, _ scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float>
  ) -> (dx: Tensor<Float>, dgamma: Tensor<Float>, dbeta: Tensor<Float>) {
    let (n, c, inner) = dims(x.shape)
    precondition(
      activation == nil || beta?.count == c, "batchNorm backward: a fused activation needs beta of \(c) channels")
    let slope = activation?.negativeSlope ?? 1
    // the forward's per-channel scale and shift (only read with a fused activation)
    let none = [Float](repeating: 0, count: c)
    let (scales, shifts) = beta.map { affine(mean: mean, invStd: invStd, gamma: gamma, beta: $0) } ?? (none, none)
    var dx = [Float].uninitialized(count: x.count)
    var dgamma = [Float](repeating: 0, count: c), dbeta = dgamma
    let count = Float(n * inner)
    let keep = scratchCount > 0 && n * scratchCount * MemoryLayout<Float>.stride <= keptPlanesBytes
    x.scalars.withBase { px in
      dx.withMutableBase { pdx in
        dgamma.withMutableBase { pdg in
          dbeta.withMutableBase { pdb in
            let (out, dG, dB) = (SendablePointer(pdx), SendablePointer(pdg), SendablePointer(pdb))
            forEachChannel(c, scratch: keep ? n * scratchCount : scratchCount) { ch, scratch in
              let mu = mean[ch], s = invStd[ch], zScale = scales[ch], zShift = shifts[ch]
              // image i's plane, built once when kept (else every image's in the same scratch)
              func planeScratch(_ i: Int) -> UnsafeMutablePointer<Float> { keep ? scratch + i * scratchCount : scratch }
              var sumG = 0.0, sumGX = 0.0
              for i in 0..<n {
                let base = (i * c + ch) * inner
                let gi = gradient(i, ch, planeScratch(i))
                assert(!keep || gi == UnsafePointer(planeScratch(i)), "a kept plane is built in its scratch")
                let (a, b) =
                  activation == nil
                  ? VectorSums.sumAndCenteredDot(gi, px + base, inner, mean: mu)
                  : VectorSums.activatedSumAndCenteredDot(
                    gi, px + base, inner, mean: mu, slope: slope, scale: zScale, shift: zShift)
                sumG += Double(a); sumGX += Double(b)
              }
              let dbeta = Float(sumG), dgamma = Float(sumGX) * s
              dB.p[ch] = dbeta; dG.p[ch] = dgamma
              // training: k·(g − mG − (x − μ)·s·mGX) = k·g − slopeX·(x − μ) + offset (centring x
              // first keeps the precision when |μ| is large against σ); inference: k·g. With a
              // fused activation, k becomes k·slope where z (so the output) is not positive.
              let k = gamma.scalars[ch] * s, ks = k * slope
              let mG = dbeta / count, mGX = dgamma / count
              let slopeX = k * s * mGX, offset = -k * mG
              for i in 0..<n {
                let base = (i * c + ch) * inner
                let gi = keep ? UnsafePointer(planeScratch(i)) : gradient(i, ch, planeScratch(i))
                let (xi, d) = (px + base, out.p + base)
                switch (activation == nil, training) {
                case (true, true): for j in 0..<inner { d[j] = k * gi[j] - slopeX * (xi[j] - mu) + offset }
                case (true, false): for j in 0..<inner { d[j] = k * gi[j] }
                case (false, true):
                  for j in 0..<inner {
                    d[j] = (xi[j] * zScale + zShift > 0 ? k : ks) * gi[j] - slopeX * (xi[j] - mu) + offset
                  }
                case (false, false): for j in 0..<inner { d[j] = (xi[j] * zScale + zShift > 0 ? k : ks) * gi[j] }
                }
              }
            }
          }
        }
      }
    }
    return (
      Tensor(shape: x.shape, scalars: dx), Tensor(shape: [c], scalars: dgamma), Tensor(shape: [c], scalars: dbeta)
    )
  }
}
