import Tensors

/// The integer kernels of the int8 convolution and dense layers: im2col over uint8 codes, then
/// a GEMM-like product of int8 weights and uint8 columns with int32 accumulation, vectorised
/// 16 columns at a time with SIMD types, and the zero-point correction
/// Σₖ w·(x − z) = Σₖ w·x − z·Σₖ w (gemmlowp's decomposition; weights are symmetric so only
/// the activation zero point appears).
///
/// Int32 cannot overflow for the zoo's layers: |acc| ≤ 255 · 127 · K, below 2³¹ for
/// K = C·kh·kw < 66,000.
public enum IntegerGEMM {
  /// Unfolds one image of codes [c, h, w] (uint8, or int16 for `gap8-pow2`) into columns
  /// [c·kh·kw, oh·ow]; out-of-image taps read `pad` (the code of real 0: the zero point).
  public static func im2col<Code>(
    _ x: UnsafePointer<Code>, c: Int, h: Int, w: Int, kh: Int, kw: Int, oh: Int, ow: Int,
    _ p: Conv2DParameters, pad: Code, into cols: UnsafeMutablePointer<Code>
  ) {
    let hw = oh * ow
    var row = 0
    for ci in 0..<c {
      let plane = x + ci * h * w
      for ki in 0..<kh {
        for kj in 0..<kw {
          let dst = cols + row * hw
          let dy = ki * p.dilationH - p.padTop, dx = kj * p.dilationW - p.padLeft
          for oi in 0..<oh {
            let iy = oi * p.strideH + dy
            let d = dst + oi * ow
            guard iy >= 0, iy < h else {
              d.update(repeating: pad, count: ow)
              continue
            }
            let src = plane + iy * w
            for oj in 0..<ow {
              let ix = oj * p.strideW + dx
              d[oj] = ix >= 0 && ix < w ? src[ix] : pad
            }
          }
          row += 1
        }
      }
    }
  }

  /// The accumulators of a dense layer: `weights` (`channels` × `features`, row-major) times
  /// `cols` (`features` × `n`, the batch's codes transposed), channel-major (`channels` × `n`).
  static func dense(weights: [Int8], cols: [UInt8], features: Int, channels: Int, n: Int) -> [Int32] {
    var acc = [Int32](repeating: 0, count: channels * n)
    cols.withUnsafeBufferPointer { cb in
      weights.withUnsafeBufferPointer { wb in
        acc.withUnsafeMutableBufferPointer { ab in
          guard let c = cb.baseAddress, let w = wb.baseAddress, let a = ab.baseAddress else { return }
          multiply(weights: w, rows: 0..<channels, k: features, cols: c, n: n, acc: a)
        }
      }
    }
    return acc
  }

  /// acc[o, q] = Σₖ w[o, k] · cols[k, q] for rows `rows` of `weights` [*, k] and `cols` [k, n],
  /// written to `acc` [rows.count, n] (row o − rows.lowerBound).
  ///
  /// Register-blocked: four weight rows × 16 columns of int32 accumulators stay in SIMD
  /// registers while k runs, so each column vector is loaded and widened once per four rows;
  /// leftover rows use a one-row kernel, and leftover columns (narrow maps) are vectorised
  /// along k instead (``tail(_:rows:k:cols:n:from:acc:)``).
  public static func multiply(
    weights: UnsafePointer<Int8>, rows: Range<Int>, k: Int, cols: UnsafePointer<UInt8>, n: Int,
    acc: UnsafeMutablePointer<Int32>
  ) {
    let raw = UnsafeRawPointer(cols)
    let count = rows.count
    var r = 0
    while r < count {
      let block = count - r >= 4 ? 4 : 1
      let w0 = weights + (rows.lowerBound + r) * k
      let out = UnsafeMutableRawPointer(acc + r * n)
      var q = 0
      while q + 16 <= n {
        if block == 4 {
          var a0 = SIMD16<Int32>(), a1 = SIMD16<Int32>(), a2 = SIMD16<Int32>(), a3 = SIMD16<Int32>()
          for kk in 0..<k {
            let x = SIMD16<Int32>(
              truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: kk * n + q, as: SIMD16<UInt8>.self))
            a0 &+= x &* Int32(w0[kk])
            a1 &+= x &* Int32(w0[k + kk])
            a2 &+= x &* Int32(w0[2 * k + kk])
            a3 &+= x &* Int32(w0[3 * k + kk])
          }
          out.storeBytes(of: a0, toByteOffset: q * 4, as: SIMD16<Int32>.self)
          out.storeBytes(of: a1, toByteOffset: (n + q) * 4, as: SIMD16<Int32>.self)
          out.storeBytes(of: a2, toByteOffset: (2 * n + q) * 4, as: SIMD16<Int32>.self)
          out.storeBytes(of: a3, toByteOffset: (3 * n + q) * 4, as: SIMD16<Int32>.self)
        } else {
          var a0 = SIMD16<Int32>()
          for kk in 0..<k {
            let x = SIMD16<Int32>(
              truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: kk * n + q, as: SIMD16<UInt8>.self))
            a0 &+= x &* Int32(w0[kk])
          }
          out.storeBytes(of: a0, toByteOffset: q * 4, as: SIMD16<Int32>.self)
        }
        q += 16
      }
      if q < n {
        tail(w0, rows: block, k: k, cols: cols, n: n, from: q, acc: acc + r * n)
      }
      r += block
    }
  }

  /// The columns from `start` on (fewer than 16, e.g. all of a 3×3 map): each column is
  /// gathered into a contiguous buffer and dotted with the weight rows 16 taps at a time.
  static func tail(
    _ w: UnsafePointer<Int8>, rows: Int, k: Int, cols: UnsafePointer<UInt8>, n: Int, from start: Int,
    acc: UnsafeMutablePointer<Int32>
  ) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: k) { buffer in
      guard let column = buffer.baseAddress else { return }
      let rawColumn = UnsafeRawPointer(column), rawW = UnsafeRawPointer(w)
      let vectorEnd = k - k % 16
      for q in start..<n {
        for kk in 0..<k { column[kk] = cols[kk * n + q] }
        for j in 0..<rows {
          var a = SIMD16<Int32>()
          var kk = 0
          while kk < vectorEnd {
            let x = SIMD16<Int32>(
              truncatingIfNeeded: rawColumn.loadUnaligned(fromByteOffset: kk, as: SIMD16<UInt8>.self))
            let wv = SIMD16<Int32>(
              truncatingIfNeeded: rawW.loadUnaligned(fromByteOffset: j * k + kk, as: SIMD16<Int8>.self))
            a &+= x &* wv
            kk += 16
          }
          var sum = a.wrappedSum()
          while kk < k {
            sum &+= Int32(column[kk]) &* Int32(w[j * k + kk])
            kk += 1
          }
          acc[j * n + q] = sum
        }
      }
    }
  }
}
