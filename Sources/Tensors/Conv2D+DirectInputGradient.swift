/// The input gradient of a stride-1 convolution as the direct forward kernel of the transposed
/// problem: dx = conv(dy, W′) with W′[c, o, i, j] = W[o, c, kH − 1 − i, kW − 1 − j] and the
/// complementary padding (kH − 1 − padTop, …), instead of a column-gradient product and a fold.
/// Used where that transposed convolution takes ``Conv2D/directForward(_:weight:bias:_:_:epilogue:)``
/// (few output-gradient channels, wide maps: the second and third layers of detectors).
extension Conv2D {
  /// The transposed problem's geometry and parameters when the direct forward kernel applies to
  /// it (so O·kH·kW ≤ ``directForwardMaxK``) on rows of at least ``directMinWidth``: on
  /// narrower rows the chunked im2col backward, which unfolds dy once for both gradients, was
  /// faster (32→64 @12 batch 16: 1.18 vs 1.23 ms for both gradients).
  static func directInputGradientProblem(_ G: Geometry, _ p: Conv2DParameters) -> (Geometry, Conv2DParameters)? {
    guard G.g == 1, p.strideH == 1, p.strideW == 1, p.dilationH == 1, p.dilationW == 1 else { return nil }
    let (top, bottom) = (G.kh - 1 - p.padTop, G.kh - 1 - p.padBottom)
    let (left, right) = (G.kw - 1 - p.padLeft, G.kw - 1 - p.padRight)
    guard min(top, bottom, left, right) >= 0 else { return nil }
    let q = Conv2DParameters(
      strideH: 1, strideW: 1, padTop: top, padBottom: bottom, padLeft: left, padRight: right)
    let T = Geometry(n: G.n, c: G.o, h: G.oh, w: G.ow, o: G.c, kh: G.kh, kw: G.kw, oh: G.h, ow: G.w, g: 1)
    return usesDirectForward(T, q) && T.ow >= directMinWidth ? (T, q) : nil
  }

  /// dx [N, C, H, W] for the output gradient `dy` through the transposed problem `T`, `q`.
  static func directInputGradient(_ dy: Tensor<Float>, weight: Tensor<Float>, _ T: Geometry, _ q: Conv2DParameters)
    -> Tensor<Float>
  {
    let (o, c, kh, kw) = (T.c, T.o, T.kh, T.kw)
    var flipped = [Float].uninitialized(count: weight.count)  // [C, O, kH, kW], kernel rotated 180°
    for oi in 0..<o {
      for ci in 0..<c {
        for i in 0..<kh {
          for j in 0..<kw {
            flipped[((ci * o + oi) * kh + kh - 1 - i) * kw + kw - 1 - j] =
              weight.scalars[((oi * c + ci) * kh + i) * kw + j]
          }
        }
      }
    }
    return directForward(dy, weight: Tensor(shape: [c, o, kh, kw], scalars: flipped), bias: nil, q, T)
  }
}
