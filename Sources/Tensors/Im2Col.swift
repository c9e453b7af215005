/// Unfolds image patches into columns so a convolution becomes one matrix product, and folds
/// columns back (summing overlaps) for the input gradient.
struct Im2Col {
  let c: Int, h: Int, w: Int, kh: Int, kw: Int, oh: Int, ow: Int
  let p: Conv2DParameters

  /// `cols` is [c·kh·kw, oh·ow] with rows `rowStride` apart (default: packed); out-of-image
  /// taps read as zero. A larger stride writes one image's columns into a batch's matrix.
  func unfold(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
    let stride = rowStride ?? oh * ow
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
            if p.strideW == 1 && ow < 16 {
              // short rows (deep layers): element by element beats three library calls
              for oj in 0..<ow {
                let ix = oj + dx
                d[oj] = ix >= 0 && ix < w ? src[ix] : 0
              }
            } else if p.strideW == 1 {
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
}
