import Tensors

/// The integer primitives of GAP8's fixed-point kernels (`gap8.md` §1.4, §4.6), shared by the
/// `gap8-pow2` and `gap8-sq8` executors.
enum GAP8Arithmetic {
  /// AutoTiler's `AT_NORM` with `NORM_ROUND` defined (the `addRN` builtin):
  /// (x + (n > 0 ? 2ⁿ⁻¹ : 0)) >> n, an arithmetic shift, so ties round up (towards +∞):
  /// roundNorm(−5, 1) = −2, roundNorm(5, 1) = 3. A negative n is an exact left shift (a
  /// format change towards more fractional bits).
  @inline(__always)
  static func roundNorm(_ x: Int64, _ n: Int) -> Int64 {
    if n <= 0 { return x << -n }
    if n > 62 { return x >= 0 ? 0 : -1 }
    return (x + (Int64(1) << (n - 1))) >> n
  }

  /// `gap_clip(x, bits − 1)`: clamps to the signed `bits`-bit range [−2^(bits−1), 2^(bits−1) − 1].
  @inline(__always)
  static func clip(_ x: Int64, bits: Int) -> Int64 {
    let hi = (Int64(1) << (bits - 1)) - 1
    return min(max(x, -hi - 1), hi)
  }

  /// gap_quantization's integer bits of a tensor whose largest magnitude is `maxAbs`:
  /// ⌈log2 maxAbs⌉ (`gap8.md` §3.1), so maxAbs = 3 needs 2 integer bits and 0.3 needs −1. A
  /// tensor that is identically 0 gets 0.
  static func integerBits(_ maxAbs: Double) -> Int {
    guard maxAbs > 0, maxAbs.isFinite else { return 0 }
    // maxAbs = f · 2^e with f ∈ [1, 2): ⌈log2⌉ is e for f = 1 and e + 1 otherwise (exact)
    return Int(maxAbs.exponent) + (maxAbs.significand == 1 ? 0 : 1)
  }

  /// AutoTiler's `FP2FIX(v, q)`: (int)(v · (2^q − 1)), truncating towards zero (the leak
  /// constant of its 16-bit leaky ReLU is FP2FIX(0.1, 12) = 409).
  static func fp2fix(_ v: Double, _ q: Int) -> Int64 {
    Int64((v * Double((1 << q) - 1)).rounded(.towardZero))
  }
}

/// The `(start, end)` rows and columns and the divisor of every output pixel of a pooling
/// window under PyTorch's rules (padding, ceil mode, `countIncludePad`), as Graph's float
/// average pool uses them.
struct PoolWindows {
  let p: Pool2DParameters
  let h: Int, w: Int
  let oh: Int, ow: Int

  init(_ p: Pool2DParameters, h: Int, w: Int) {
    self.p = p
    self.h = h
    self.w = w
    (oh, ow) = p.outputSize(h: h, w: w)
  }

  /// Calls `body(outputIndex, rows, columns, divisor)` for every output pixel of one plane.
  @inline(__always)
  func forEach(_ body: (Int, Range<Int>, Range<Int>, Int) -> Void) {
    for oi in 0..<oh {
      for oj in 0..<ow {
        let y0 = oi * p.strideH - p.padTop, x0 = oj * p.strideW - p.padLeft
        let y1 = min(y0 + p.kernelH, h + p.padBottom), x1 = min(x0 + p.kernelW, w + p.padRight)
        let ys = max(y0, 0), xs = max(x0, 0), ye = max(min(y1, h), ys), xe = max(min(x1, w), xs)
        let divisor = max(p.countIncludePad ? (y1 - y0) * (x1 - x0) : (ye - ys) * (xe - xs), 1)
        body(oi * ow + oj, ys..<ye, xs..<xe, divisor)
      }
    }
  }
}
