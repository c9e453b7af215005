/// What a convolution can apply to its own output before it leaves the cache: the inference
/// form of a following BatchNorm (a per-channel affine map with the running statistics) and a
/// ReLU or leaky ReLU. Applying it inside ``Conv2D/forward(_:weight:bias:_:algorithm:epilogue:)``
/// saves a separate pass that reads and writes the whole output again.
///
/// The arithmetic is that of the unfused ops in the same order — the convolution with its bias
/// first, then z·scale + shift, then the activation — so the result is bit-identical to
/// `Conv2D.forward` followed by ``BatchNormKernel/normalize(_:mean:invStd:gamma:beta:activation:)``.
/// With ``maxPool2x2`` a following 2×2, stride-2 max pool (floor mode, no padding) runs on each
/// finished plane while it is in cache too, with the comparisons of
/// ``Pooling/maxValues(_:_:)``, and only the pooled output (a quarter of the size) is written.
extension Conv2D {
  /// A per-output-channel map y = activation(z·scale + shift) of the convolution output z.
  public struct Epilogue: Sendable {
    /// The factor per output channel.
    public let scales: [Float]
    /// The offset per output channel, added after the factor.
    public let shifts: [Float]
    /// The activation applied last, if any.
    public let activation: BatchNormKernel.Activation?
    /// Whether a 2×2, stride-2 max pool (floor mode, no padding) follows: the convolution then
    /// returns [N, O, ⌊OH/2⌋, ⌊OW/2⌋].
    public let maxPool2x2: Bool

    /// An epilogue with the given per-channel factors and offsets (of equal length, the
    /// convolution's output channels), optionally followed by a 2×2 max pool.
    public init(scales: [Float], shifts: [Float], activation: BatchNormKernel.Activation?, maxPool2x2: Bool = false) {
      precondition(
        scales.count == shifts.count, "Conv2D.Epilogue: \(scales.count) scales but \(shifts.count) shifts")
      (self.scales, self.shifts, self.activation, self.maxPool2x2) = (scales, shifts, activation, maxPool2x2)
    }

    /// The inference-mode BatchNorm with statistics `mean` and `invStd` (1/σ) and affine `gamma`,
    /// `beta`, then `activation`: the factors and offsets are computed by
    /// ``BatchNormKernel/affine(mean:invStd:gamma:beta:)``, as `normalize` computes them.
    public init(
      batchNormMean mean: [Float], invStd: [Float], gamma: Tensor<Float>, beta: Tensor<Float>,
      activation: BatchNormKernel.Activation?, maxPool2x2: Bool = false
    ) {
      let (scales, shifts) = BatchNormKernel.affine(mean: mean, invStd: invStd, gamma: gamma, beta: beta)
      self.init(scales: scales, shifts: shifts, activation: activation, maxPool2x2: maxPool2x2)
    }

    /// Whether `p` is the max pool ``maxPool2x2`` computes: 2×2, stride 2, no padding, floor
    /// mode.
    public static func isPlainMaxPool2x2(_ p: Pool2DParameters) -> Bool {
      p.kernelH == 2 && p.kernelW == 2 && p.strideH == 2 && p.strideW == 2 && !p.ceilMode
        && [p.padTop, p.padBottom, p.padLeft, p.padRight] == [0, 0, 0, 0]
    }

    /// The same map without the max pool.
    var unpooled: Epilogue { Epilogue(scales: scales, shifts: shifts, activation: activation) }

    /// The size of an output plane for a convolution output of `oh`×`ow`.
    func planeSize(_ oh: Int, _ ow: Int) -> (h: Int, w: Int) { maxPool2x2 ? (oh / 2, ow / 2) : (oh, ow) }

    /// Maps the convolution output plane of `channel` (`oh`×`ow` at `plane`) and writes its 2×2
    /// max pool to `dst`, two rows at a time through `rows` (2·`ow` values, stays in the
    /// first-level cache): the mapped plane is never written back, and a last odd row, which the
    /// pool drops, is never mapped. The map is `normalize`'s own loop.
    @inline(__always)
    func mapAndPool(
      _ plane: UnsafePointer<Float>, oh: Int, ow: Int, channel: Int, rows: UnsafeMutablePointer<Float>,
      into dst: UnsafeMutablePointer<Float>
    ) {
      let pw = ow / 2, scale = scales[channel], shift = shifts[channel]
      for r in 0..<(oh / 2) {
        BatchNormKernel.applyAffine(plane + 2 * r * ow, rows, 2 * ow, scale: scale, shift: shift, activation)
        Pooling.maxRow2x2(rows, rows + ow, ow: pw, into: dst + r * pw)
      }
    }

    /// Max-pools the finished `oh`×`ow` plane at `plane` into the pooled plane at `dst`.
    @inline(__always)
    func pool(_ plane: UnsafePointer<Float>, oh: Int, ow: Int, into dst: UnsafeMutablePointer<Float>) {
      let pw = ow / 2
      for r in 0..<(oh / 2) {
        Pooling.maxRow2x2(plane + 2 * r * ow, plane + (2 * r + 1) * ow, ow: pw, into: dst + r * pw)
      }
    }

    /// Applies the map of output channel `channel` to `count` values at `p`, in place.
    @inline(__always)
    func apply(_ p: UnsafeMutablePointer<Float>, _ count: Int, channel: Int) {
      let scale = scales[channel], shift = shifts[channel]
      switch activation {
      case nil: for j in 0..<count { p[j] = p[j] * scale + shift }
      case .relu?: for j in 0..<count { p[j] = max(p[j] * scale + shift, 0) }
      case .leakyRelu(let a)?:
        for j in 0..<count { let z = p[j] * scale + shift; p[j] = z > 0 ? z : a * z }
      }
    }

    /// dst[j] = the map of channel `channel` applied to src[j] + bias (the convolution output
    /// with its bias, rounded to Float first as the unfused ops round it); separate buffers.
    @inline(__always)
    func scatter(
      _ src: UnsafePointer<Float>, plus bias: Float, into dst: UnsafeMutablePointer<Float>, _ count: Int,
      channel: Int
    ) {
      let scale = scales[channel], shift = shifts[channel]
      switch activation {
      case nil: for j in 0..<count { let z = src[j] + bias; dst[j] = z * scale + shift }
      case .relu?: for j in 0..<count { let z = src[j] + bias; dst[j] = max(z * scale + shift, 0) }
      case .leakyRelu(let a)?:
        for j in 0..<count {
          let z = src[j] + bias, y = z * scale + shift
          dst[j] = y > 0 ? y : a * y
        }
      }
    }
  }
}
