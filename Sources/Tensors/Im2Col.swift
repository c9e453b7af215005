/// Unfolds image patches into columns so a convolution becomes one matrix product, and folds
/// columns back (summing overlaps) for the input gradient.
///
/// Two strategies, chosen by the output width. Wide rows (≥ 16 outputs) copy contiguous runs
/// with zero borders. Narrow maps — the deep layers of detectors, 2×2 to 12×12 — would spend
/// their time in per-row bookkeeping, so each channel is first copied into a small zero-padded
/// plane; with stride and dilation 1 and rows of 4 or more, each tap's rows are then copied as
/// whole vectors, otherwise every column element is gathered through a table of offsets into
/// the plane that is shared by all channels (any stride, padding and dilation).
struct Im2Col {
  let c: Int, h: Int, w: Int, kh: Int, kw: Int, oh: Int, ow: Int
  let p: Conv2DParameters
  /// Padded-plane geometry and, for narrow maps without row copies, the offset of tap (ki, kj)
  /// at output position q in the padded plane: `table[(ki·kw + kj)·oh·ow + q]`.
  let paddedH: Int, paddedW: Int
  let table: [Int32]
  /// Rows narrower than ``narrowWidth``: the padded-plane strategy.
  let narrow: Bool
  /// Narrow rows of 4–15 outputs with stride and dilation 1: each tap's rows are contiguous
  /// runs of the padded plane, copied (or added) as whole vectors instead of through the table.
  let copiesRows: Bool

  /// Output widths below this use the padded plane.
  static let narrowWidth = 16

  init(c: Int, h: Int, w: Int, kh: Int, kw: Int, oh: Int, ow: Int, p: Conv2DParameters) {
    (self.c, self.h, self.w, self.kh, self.kw, self.oh, self.ow, self.p) = (c, h, w, kh, kw, oh, ow, p)
    paddedH = h + p.padTop + p.padBottom
    paddedW = w + p.padLeft + p.padRight
    narrow = ow < Im2Col.narrowWidth
    copiesRows = narrow && ow >= 4 && p.strideH == 1 && p.strideW == 1 && p.dilationH == 1 && p.dilationW == 1
    var t: [Int32] = []
    if narrow && !copiesRows {
      t.reserveCapacity(kh * kw * oh * ow)
      for ki in 0..<kh {
        for kj in 0..<kw {
          for oi in 0..<oh {
            for oj in 0..<ow {
              t.append(Int32((oi * p.strideH + ki * p.dilationH) * paddedW + oj * p.strideW + kj * p.dilationW))
            }
          }
        }
      }
    }
    table = t
  }

  /// `cols` is [c·kh·kw, oh·ow] with rows `rowStride` apart (default: packed); out-of-image
  /// taps read as zero. A larger stride writes one image's columns into a batch's matrix.
  func unfold(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
    let stride = rowStride ?? oh * ow
    if narrow { unfoldNarrow(x, cols, stride); return }
    var row = 0
    for ci in 0..<c {
      let plane = x + ci * h * w
      for ki in 0..<kh {
        for kj in 0..<kw {
          let dst = cols + row * stride
          let dy = ki * p.dilationH - p.padTop, dx = kj * p.dilationW - p.padLeft
          for oi in 0..<oh {
            let iy = oi * p.strideH + dy
            let d = dst + oi * ow
            if iy < 0 || iy >= h {
              d.update(repeating: 0, count: ow)
              continue
            }
            let src = plane + iy * w
            if p.strideW == 1 {
              // contiguous run with zero borders
              let lo = max(0, -dx), hi = min(ow, w - dx)
              if lo > 0 { d.update(repeating: 0, count: min(lo, ow)) }
              if hi > lo { (d + lo).update(from: src + lo + dx, count: hi - lo) }
              if hi < ow { (d + max(hi, 0)).update(repeating: 0, count: ow - max(hi, 0)) }
            } else {
              for oj in 0..<ow {
                let ix = oj * p.strideW + dx
                d[oj] = ix >= 0 && ix < w ? src[ix] : 0
              }
            }
          }
          row += 1
        }
      }
    }
  }

  /// Adds the columns (rows `rowStride` apart) back into the image gradient `dx`, which is not
  /// cleared first.
  func fold(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
    let stride = rowStride ?? oh * ow
    if narrow { foldNarrow(cols, dx, stride); return }
    var row = 0
    for ci in 0..<c {
      let plane = dx + ci * h * w
      for ki in 0..<kh {
        for kj in 0..<kw {
          let src = cols + row * stride
          let dy = ki * p.dilationH - p.padTop, dxo = kj * p.dilationW - p.padLeft
          for oi in 0..<oh {
            let iy = oi * p.strideH + dy
            if iy < 0 || iy >= h { continue }
            let d = plane + iy * w, s = src + oi * ow
            if p.strideW == 1 {
              // contiguous run: output columns lo..<hi land on input columns lo+dxo..<hi+dxo
              let lo = max(0, -dxo), hi = min(ow, w - dxo)
              if hi > lo {
                let dd = d + dxo
                for oj in lo..<hi { dd[oj] += s[oj] }
              }
            } else {
              for oj in 0..<ow {
                let ix = oj * p.strideW + dxo
                if ix >= 0 && ix < w { d[ix] += s[oj] }
              }
            }
          }
          row += 1
        }
      }
    }
  }

  /// Narrow maps: per channel, the zero-padded plane, then each tap's rows copied or one
  /// gather per column element.
  private func unfoldNarrow(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, _ stride: Int) {
    let hw = oh * ow, taps = kh * kw
    withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedH * paddedW) { padded in
      guard let pad = padded.baseAddress else { return }
      pad.initialize(repeating: 0, count: paddedH * paddedW)  // borders stay zero
      table.withUnsafeBufferPointer { tb in
        for ci in 0..<c {
          let plane = x + ci * h * w
          for iy in 0..<h { (pad + (iy + p.padTop) * paddedW + p.padLeft).update(from: plane + iy * w, count: w) }
          if copiesRows {
            for ki in 0..<kh {
              for kj in 0..<kw {
                let dst = cols + (ci * taps + ki * kw + kj) * stride, src = pad + ki * paddedW + kj
                for oi in 0..<oh { Self.copyShortRow(src + oi * paddedW, dst + oi * ow, ow) }
              }
            }
          } else if let t = tb.baseAddress {
            for tap in 0..<taps {
              let dst = cols + (ci * taps + tap) * stride, offsets = t + tap * hw
              for q in 0..<hw { dst[q] = pad[Int(offsets[q])] }
            }
          }
        }
      }
    }
  }

  /// Adds `count` floats of `src` to `dst`, eight and four at a time, then one at a time.
  @inline(__always)
  static func addShortRow(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ count: Int) {
    let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
    var j = 0
    while j + 8 <= count {
      addVector(SIMD8<Float>.self, s, d, at: 4 * j)
      j += 8
    }
    if j + 4 <= count {
      addVector(SIMD4<Float>.self, s, d, at: 4 * j)
      j += 4
    }
    while j < count {
      dst[j] += src[j]
      j += 1
    }
  }

  /// `d[byte…] += s[byte…]` for one vector of type `V`, unaligned.
  @inline(__always)
  static func addVector<V: SIMD>(_: V.Type, _ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, at byte: Int)
  where V.Scalar == Float {
    let sum = d.loadUnaligned(fromByteOffset: byte, as: V.self) + s.loadUnaligned(fromByteOffset: byte, as: V.self)
    d.storeBytes(of: sum, toByteOffset: byte, as: V.self)
  }

  /// Copies `count` (4–15) floats as two vectors that overlap when `count` is not their width.
  @inline(__always)
  static func copyShortRow(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
    if count >= 8 {
      let a = s.loadUnaligned(as: SIMD8<Float>.self)
      let b = s.loadUnaligned(fromByteOffset: 4 * (count - 8), as: SIMD8<Float>.self)
      d.storeBytes(of: a, as: SIMD8<Float>.self)
      d.storeBytes(of: b, toByteOffset: 4 * (count - 8), as: SIMD8<Float>.self)
    } else {
      let a = s.loadUnaligned(as: SIMD4<Float>.self)
      let b = s.loadUnaligned(fromByteOffset: 4 * (count - 4), as: SIMD4<Float>.self)
      d.storeBytes(of: a, as: SIMD4<Float>.self)
      d.storeBytes(of: b, toByteOffset: 4 * (count - 4), as: SIMD4<Float>.self)
    }
  }

  /// Narrow maps: scatter-add every column element into the zero-padded plane, then add its
  /// interior to the channel's gradient.
  private func foldNarrow(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ stride: Int) {
    let hw = oh * ow, taps = kh * kw
    withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedH * paddedW) { padded in
      guard let pad = padded.baseAddress else { return }
      table.withUnsafeBufferPointer { tb in
        for ci in 0..<c {
          pad.update(repeating: 0, count: paddedH * paddedW)
          if copiesRows {  // within one tap every padded element gets at most one term: same order
            for ki in 0..<kh {
              for kj in 0..<kw {
                let src = cols + (ci * taps + ki * kw + kj) * stride, dst = pad + ki * paddedW + kj
                for oi in 0..<oh { Self.addShortRow(src + oi * ow, into: dst + oi * paddedW, ow) }
              }
            }
          } else if let t = tb.baseAddress {
            for tap in 0..<taps {
              let src = cols + (ci * taps + tap) * stride, offsets = t + tap * hw
              for q in 0..<hw { pad[Int(offsets[q])] += src[q] }
            }
          }
          let plane = dx + ci * h * w
          for iy in 0..<h {
            let d = plane + iy * w, s = pad + (iy + p.padTop) * paddedW + p.padLeft
            for ix in 0..<w { d[ix] += s[ix] }
          }
        }
      }
    }
  }
}
