import XCTest

@testable import Tensors

/// The narrow-map unfold and fold (rows below `Im2Col.narrowWidth`: the gather table, and for
/// stride 1 the row copies) against their definitions, bit for bit, on every row width 1–15
/// with odd channel counts, asymmetric padding, stride and dilation.
final class Im2ColTests: XCTestCase {
  /// The column element of channel `ci`, tap (ki, kj), output position (oi, oj), or 0 outside.
  static func element(_ x: [Float], _ im: Im2Col, _ ci: Int, _ ki: Int, _ kj: Int, _ oi: Int, _ oj: Int) -> Float {
    let iy = oi * im.p.strideH - im.p.padTop + ki * im.p.dilationH
    let ix = oj * im.p.strideW - im.p.padLeft + kj * im.p.dilationW
    return iy >= 0 && iy < im.h && ix >= 0 && ix < im.w ? x[(ci * im.h + iy) * im.w + ix] : 0
  }

  static let parameters: [Conv2DParameters] = [
    Conv2DParameters(padding: 1),
    Conv2DParameters(strideH: 1, strideW: 1, padTop: 0, padBottom: 2, padLeft: 2, padRight: 0),
    Conv2DParameters(stride: 2, padding: 1),
    Conv2DParameters(padding: 2, dilation: 2),
  ]

  func testNarrowUnfoldAndFoldMatchTheirDefinitions() {
    var rng = RandomStream(seed: 31)
    var widths = Set<Int>()
    for p in Self.parameters {
      for w in 1...17 {
        let (c, h, kh, kw) = (3, 5, 3, 3)
        let (oh, ow) = p.outputSize(h: h, w: w, kh: kh, kw: kw)
        guard ow >= 1, ow < Im2Col.narrowWidth, oh >= 1 else { continue }
        if p.strideW == 1 && p.dilationW == 1 { widths.insert(ow) }
        let im = Im2Col(c: c, h: h, w: w, kh: kh, kw: kw, oh: oh, ow: ow, p: p)
        let x = Tensor<Float>.normal([c * h * w], rng: &rng).scalars
        let stride = oh * ow + 3  // rows of a wider matrix: the batched layout
        var cols = [Float](repeating: .nan, count: c * kh * kw * stride)
        x.withBase { px in cols.withMutableBase { pc in im.unfold(px, pc, rowStride: stride) } }
        var expected = [Float](repeating: 0, count: c * h * w)  // the fold's definition, in tap order
        for ci in 0..<c {
          for ki in 0..<kh {
            for kj in 0..<kw {
              for oi in 0..<oh {
                for oj in 0..<ow {
                  let got = cols[((ci * kh + ki) * kw + kj) * stride + oi * ow + oj]
                  XCTAssertEqual(
                    got.bitPattern, Self.element(x, im, ci, ki, kj, oi, oj).bitPattern, "\(p) w \(w) tap \(ki),\(kj)")
                  let iy = oi * p.strideH - p.padTop + ki * p.dilationH
                  let ix = oj * p.strideW - p.padLeft + kj * p.dilationW
                  if iy >= 0 && iy < h && ix >= 0 && ix < w { expected[(ci * h + iy) * w + ix] += got }
                }
              }
            }
          }
          // the three values past each row stay untouched
          for tap in 0..<(kh * kw) { XCTAssertTrue(cols[(ci * kh * kw + tap) * stride + oh * ow].isNaN) }
        }
        // fold adds onto what is there: start from x and compare with x + the definition
        var dx = x
        cols.withBase { pc in dx.withMutableBase { pd in im.fold(pc, pd, rowStride: stride) } }
        for i in 0..<dx.count {
          XCTAssertEqual(dx[i].bitPattern, (x[i] + expected[i]).bitPattern, "\(p) w \(w) fold element \(i)")
        }
      }
    }
    XCTAssertEqual(widths, Set(1...15), "every narrow row width with stride 1")
  }
}
