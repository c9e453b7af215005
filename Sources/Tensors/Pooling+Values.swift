/// Max pooling that computes only the values, for inference: nothing will route a gradient
/// back, so the argmax ``Pooling/maxForward(_:_:)`` stores for its backward pass would be
/// written and never read. The comparisons are those of `maxForward` (strict `>` in the same
/// window order, padding as −∞), so the outputs are identical to its `output`.
extension Pooling {
  /// The max-pooled values of `x` [N, C, H, W]; equal to `maxForward(x, p).output`.
  public static func maxValues(_ x: Tensor<Float>, _ p: Pool2DParameters) -> Tensor<Float> {
    let d = dims(x.shape, p, op: "maxPool2d")
    var out = [Float].uninitialized(count: d.nc * d.oh * d.ow)  // every element is written below
    forEachPlane(of: x, d.h * d.w, into: &out, d.oh * d.ow) { input, output in
      maxPlane(input, h: d.h, w: d.w, p, oh: d.oh, ow: d.ow, into: output)
    }
    return Tensor(shape: [x.shape[0], x.shape[1], d.oh, d.ow], scalars: out)
  }

  /// Whether `p` on an `h`×`w` plane is the plain 2×2, stride-2 window without padding whose
  /// `oh`×`ow` windows all lie inside the plane (the vectorised case).
  static func isPlain2x2(_ p: Pool2DParameters, h: Int, w: Int, oh: Int, ow: Int) -> Bool {
    p.kernelH == 2 && p.kernelW == 2 && p.strideH == 2 && p.strideW == 2 && p.padTop == 0 && p.padLeft == 0
      && oh * 2 <= h && ow * 2 <= w
  }

  /// Max-pools one `h`×`w` plane at `src` into the `oh`×`ow` plane at `dst`.
  @inline(__always)
  static func maxPlane(
    _ src: UnsafePointer<Float>, h: Int, w: Int, _ p: Pool2DParameters, oh: Int, ow: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    if isPlain2x2(p, h: h, w: w, oh: oh, ow: ow) {
      for oi in 0..<oh { maxRow2x2(src + 2 * oi * w, src + (2 * oi + 1) * w, ow: ow, into: dst + oi * ow) }
      return
    }
    for oi in 0..<oh {
      let y0 = oi * p.strideH - p.padTop
      let ys = max(y0, 0), ye = min(y0 + p.kernelH, h)
      for oj in 0..<ow {
        let x0 = oj * p.strideW - p.padLeft
        let xs = max(x0, 0), xe = min(x0 + p.kernelW, w)
        var best = -Float.infinity
        for yy in ys..<max(ys, ye) {
          for xx in xs..<max(xs, xe) where src[yy * w + xx] > best { best = src[yy * w + xx] }
        }
        dst[oi * ow + oj] = best
      }
    }
  }

  /// One output row of a 2×2, stride-2 max pool from the input rows `top` and `bottom`: each
  /// output is (top-left, top-right, bottom-left, bottom-right) compared with strict `>` in
  /// that order, eight outputs per step as in ``maxRow2x2(_:_:topIndex:bottomIndex:ow:into:argmax:)``.
  @inline(__always)
  static func maxRow2x2(
    _ top: UnsafePointer<Float>, _ bottom: UnsafePointer<Float>, ow: Int, into dst: UnsafeMutablePointer<Float>
  ) {
    typealias V16 = SIMD16<Float>
    var oj = 0
    while oj + 8 <= ow {
      let t = UnsafeRawPointer(top + 2 * oj).loadUnaligned(as: V16.self)
      let b = UnsafeRawPointer(bottom + 2 * oj).loadUnaligned(as: V16.self)
      var best = t.evenHalf
      best.replace(with: t.oddHalf, where: t.oddHalf .> best)
      best.replace(with: b.evenHalf, where: b.evenHalf .> best)
      best.replace(with: b.oddHalf, where: b.oddHalf .> best)
      UnsafeMutableRawPointer(dst + oj).storeBytes(of: best, as: SIMD8<Float>.self)
      oj += 8
    }
    while oj < ow {
      let c = 2 * oj
      var best = top[c]
      if top[c + 1] > best { best = top[c + 1] }
      if bottom[c] > best { best = bottom[c] }
      if bottom[c + 1] > best { best = bottom[c + 1] }
      dst[oj] = best
      oj += 1
    }
  }
}
