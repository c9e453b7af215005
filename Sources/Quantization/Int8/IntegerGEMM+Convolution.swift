import Tensors

extension IntegerGEMM {
  /// The accumulators Σₖ w·x of a (grouped) convolution of uint8 codes `x` [n, c, h, w] with
  /// int8 `weights` [channels, c/groups·kh·kw]: per image, im2col (out-of-image taps read `pad`)
  /// then ``multiply(weights:rows:k:cols:n:acc:)`` in blocks of up to four channels of one
  /// group, the image's channels split into ``Parallel`` chunks. `row(image, channel, acc)`
  /// receives each output channel's oh·ow accumulators, possibly concurrently for different
  /// channels, and stores them requantized (the `int8` and `gap8-sq8` layers differ only there).
  /// Returns the output size.
  static func convolve(
    _ x: Tensor<UInt8>, weights: [Int8], channels: Int, kernel k: [Int], _ p: Conv2DParameters, pad: UInt8,
    row: (_ image: Int, _ channel: Int, _ acc: UnsafePointer<Int32>) -> Void
  ) -> (oh: Int, ow: Int) {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = p.outputSize(h: h, w: w, kh: k[0], kw: k[1])
    let hw = oh * ow, perGroup = channels / p.groups, kk = (c / p.groups) * k[0] * k[1]
    var cols = [UInt8](repeating: 0, count: c * k[0] * k[1] * hw)
    for image in 0..<n {
      x.scalars.withUnsafeBufferPointer { xs in
        cols.withUnsafeMutableBufferPointer { cb in
          guard let src = xs.baseAddress, let dst = cb.baseAddress else { return }
          im2col(src + image * c * h * w, c: c, h: h, w: w, kh: k[0], kw: k[1], oh: oh, ow: ow, p, pad: pad, into: dst)
        }
      }
      cols.withUnsafeBufferPointer { cb in
        weights.withUnsafeBufferPointer { wb in
          guard let colBase = cb.baseAddress, let wBase = wb.baseAddress else { return }
          Parallel.forEachChunk(Parallel.chunks(channels)) { _, range in
            // blocks of up to four channels of one group, so each block is one weight-row range
            var acc = [Int32](repeating: 0, count: 4 * hw)
            acc.withUnsafeMutableBufferPointer { ab in
              guard let a = ab.baseAddress else { return }
              var o = range.lowerBound
              while o < range.upperBound {
                let g = o / perGroup
                let end = min(o + 4, range.upperBound, (g + 1) * perGroup)
                multiply(weights: wBase, rows: o..<end, k: kk, cols: colBase + g * kk * hw, n: hw, acc: a)
                for ch in o..<end { row(image, ch, a + (ch - o) * hw) }
                o = end
              }
            }
          }
        }
      }
    }
    return (oh, ow)
  }
}
