import Tensors

/// The integer kernels of the `gap8-pow2` convolution and dense layers: im2col over int16
/// codes (int8 formats are held in int16 too), then a GEMM-like product of int16 weights and
/// int16 columns. Each product of two int16 values is exact in Int32 (|p| ≤ 2³⁰) and is
/// accumulated in Int64, so sums over any number of taps are exact; vectorised 16 columns at a
/// time with SIMD types and register-blocked four weight rows at a time, like ``IntegerGEMM``.
///
/// GAP8 accumulates in 32 bits (`gap_sumdotp2`); gap_quantization's 31-bit guard (§3.1) is
/// what keeps that accumulator from overflowing, and where it holds the two agree.
enum Int16GEMM {
  /// acc[r, q] = Σₖ w[rows.lowerBound + r, k] · cols[k, q] for `weights` [*, ldw] (the k taps of
  /// a row start at column `offset`) and `cols` [k, n], written to `acc` [rows.count, n].
  static func multiply(
    weights: UnsafePointer<Int16>, ldw: Int, offset: Int, rows: Range<Int>, k: Int, cols: UnsafePointer<Int16>,
    n: Int, acc: UnsafeMutablePointer<Int64>
  ) {
    let raw = UnsafeRawPointer(cols)
    let count = rows.count
    var r = 0
    while r < count {
      let block = count - r >= 4 ? 4 : 1
      let w0 = weights + (rows.lowerBound + r) * ldw + offset
      var q = 0
      while q + 16 <= n {
        let out = acc + r * n + q
        if block == 4 {
          let w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw
          var a0 = SIMD16<Int64>(), a1 = SIMD16<Int64>(), a2 = SIMD16<Int64>(), a3 = SIMD16<Int64>()
          for kk in 0..<k {
            let x = SIMD16<Int32>(
              truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: (kk * n + q) * 2, as: SIMD16<Int16>.self))
            a0 &+= SIMD16<Int64>(truncatingIfNeeded: x &* Int32(w0[kk]))
            a1 &+= SIMD16<Int64>(truncatingIfNeeded: x &* Int32(w1[kk]))
            a2 &+= SIMD16<Int64>(truncatingIfNeeded: x &* Int32(w2[kk]))
            a3 &+= SIMD16<Int64>(truncatingIfNeeded: x &* Int32(w3[kk]))
          }
          for i in 0..<16 {
            out[i] = a0[i]
            out[n + i] = a1[i]
            out[2 * n + i] = a2[i]
            out[3 * n + i] = a3[i]
          }
        } else {
          var a0 = SIMD16<Int64>()
          for kk in 0..<k {
            let x = SIMD16<Int32>(
              truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: (kk * n + q) * 2, as: SIMD16<Int16>.self))
            a0 &+= SIMD16<Int64>(truncatingIfNeeded: x &* Int32(w0[kk]))
          }
          for i in 0..<16 { out[i] = a0[i] }
        }
        q += 16
      }
      // leftover columns (narrow maps): one dot product per column and row
      while q < n {
        for j in 0..<block {
          let wr = w0 + j * ldw
          var sum: Int64 = 0
          for kk in 0..<k { sum &+= Int64(Int32(cols[kk * n + q]) &* Int32(wr[kk])) }
          acc[(r + j) * n + q] = sum
        }
        q += 1
      }
      r += block
    }
  }
}
