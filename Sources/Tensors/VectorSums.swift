/// Vectorised sums for the kernels' reductions.
///
/// Swift never reassociates floating-point additions, so a plain `for` loop sum is one long
/// chain of dependent adds (one element per add latency). These sums keep 2 × 16 partial sums
/// that advance together and are combined in a fixed order at the end: several times faster,
/// and still deterministic — the result depends only on the data and its length, never on
/// alignment, timing or the number of cores. Below 16 elements no vector is loaded and the
/// lanes' reduction is skipped (it would add only zeros): the deepest layers' planes (3×3) are
/// summed by the thousand per step, where that reduction cost more than the sum.
@usableFromInline
enum VectorSums {
  typealias V = SIMD16<Float>

  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

  /// Σ p[i] for i < n.
  @usableFromInline @inline(__always)
  static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var s: Float = 0, i = 0
    if n >= 16 {
      var a = V(), b = V()
      while i + 32 <= n { a += load(p + i); b += load(p + i + 16); i += 32 }
      if i + 16 <= n { a += load(p + i); i += 16 }
      s = (a + b).sum()
    }
    while i < n { s += p[i]; i += 1 }
    return s
  }

  /// Σ (p[i] − mean)² for i < n.
  @inline(__always)
  static func squaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, mean: Float) -> Float {
    var s: Float = 0, i = 0
    if n >= 16 {
      var a = V(), b = V()
      let m = V(repeating: mean)
      while i + 32 <= n {
        let d0 = load(p + i) - m, d1 = load(p + i + 16) - m
        a += d0 * d0; b += d1 * d1; i += 32
      }
      if i + 16 <= n { let d = load(p + i) - m; a += d * d; i += 16 }
      s = (a + b).sum()
    }
    while i < n { let d = p[i] - mean; s += d * d; i += 1 }
    return s
  }

  /// (Σ g[i], Σ g[i]·(x[i] − mean)) for i < n: the two sums of the batch-norm backward pass.
  @inline(__always)
  static func sumAndCenteredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float) -> (
    Float, Float
  ) {
    var sa: Float = 0, sb: Float = 0, i = 0
    if n >= 16 {
      var a = V(), b = V()
      let m = V(repeating: mean)
      while i + 16 <= n {
        let gv = load(g + i)
        a += gv; b += gv * (load(x + i) - m); i += 16
      }
      (sa, sb) = (a.sum(), b.sum())
    }
    while i < n { sa += g[i]; sb += g[i] * (x[i] - mean); i += 1 }
    return (sa, sb)
  }

  /// The same two sums for the gradient behind a fused activation: `g'[i] = g[i]` where the
  /// normalised value `x[i]·scale + shift` (the activation's input) is positive, else
  /// `slope·g[i]`.
  @inline(__always)
  static func activatedSumAndCenteredDot(
    _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float, slope: Float, scale: Float,
    shift: Float
  ) -> (Float, Float) {
    var sa: Float = 0, sb: Float = 0, i = 0
    if n >= 16 {
      var a = V(), b = V()
      let m = V(repeating: mean), s = V(repeating: slope), zero = V()
      let (k, t) = (V(repeating: scale), V(repeating: shift))
      while i + 16 <= n {
        var gv = load(g + i)
        let xv = load(x + i)
        gv.replace(with: gv * s, where: xv * k + t .<= zero)
        a += gv; b += gv * (xv - m); i += 16
      }
      (sa, sb) = (a.sum(), b.sum())
    }
    while i < n {
      let gi = x[i] * scale + shift > 0 ? g[i] : slope * g[i]
      sa += gi; sb += gi * (x[i] - mean); i += 1
    }
    return (sa, sb)
  }

  /// Whether no element is NaN or ±Inf: `x·0` is 0 for finite x and NaN otherwise, and a NaN
  /// survives any sum, so one vectorised pass answers for the whole buffer.
  @inline(__always)
  static func allFinite(_ p: UnsafePointer<Float>, _ n: Int) -> Bool {
    var a = V(), i = 0
    while i + 16 <= n { a += load(p + i) * 0; i += 16 }
    var s = a.sum()
    while i < n { s += p[i] * 0; i += 1 }
    return s == 0
  }
}
