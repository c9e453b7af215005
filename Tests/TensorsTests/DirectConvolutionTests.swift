import XCTest

@testable import Tensors

/// The direct convolution kernels (forward, input gradient as the transposed direct
/// convolution, weight gradient) against sums in Double, on shapes that exercise every way a
/// row is cut into vectors (whole pairs, a last vector paired with the row below, a pair with a
/// partial second vector, odd row counts; planes as runs), asymmetric padding, kernels taller
/// than 3 and more images than chunks.
final class DirectConvolutionTests: XCTestCase {
  struct Case { let n, c, h, w, o, kh: Int; let p: Conv2DParameters }

  static let cases: [Case] = [
    Case(n: 3, c: 3, h: 20, w: 37, o: 8, kh: 3, p: Conv2DParameters(padding: 1)),  // rows of 37: a pair + 5
    Case(n: 2, c: 8, h: 17, w: 24, o: 16, kh: 3, p: Conv2DParameters(padding: 1)),  // 24: a pair of 16 + 8, odd rows
    Case(  // a 5×3 kernel, rows of 16 paired vertically, odd row count
      n: 2, c: 4, h: 9, w: 16, o: 8, kh: 5,
      p: Conv2DParameters(strideH: 1, strideW: 1, padTop: 2, padBottom: 2, padLeft: 1, padRight: 1)),
    Case(  // asymmetric padding (forward and weight gradient)
      n: 2, c: 2, h: 10, w: 33, o: 8, kh: 3,
      p: Conv2DParameters(strideH: 1, strideW: 1, padTop: 0, padBottom: 2, padLeft: 2, padRight: 0)),
    Case(  // the direct input gradient with asymmetric padding (the transposed problem pads
      // top 3, bottom 1, left 2, right 0), a 5×3 kernel, whole pairs of vectors and 9 images
      n: 9, c: 8, h: 10, w: 40, o: 8, kh: 5,
      p: Conv2DParameters(strideH: 1, strideW: 1, padTop: 1, padBottom: 3, padLeft: 0, padRight: 2)),
    Case(  // a 1×3 kernel, left padding 3 (forward and weight gradient)
      n: 2, c: 3, h: 6, w: 30, o: 8, kh: 1,
      p: Conv2DParameters(strideH: 1, strideW: 1, padTop: 0, padBottom: 0, padLeft: 3, padRight: 1)),
    Case(n: 9, c: 3, h: 18, w: 34, o: 8, kh: 3, p: Conv2DParameters()),  // no padding, 9 images
    Case(n: 2, c: 16, h: 16, w: 16, o: 8, kh: 3, p: Conv2DParameters(padding: 1)),  // runs of 17 (and dx)
    Case(n: 3, c: 16, h: 12, w: 12, o: 16, kh: 3, p: Conv2DParameters(padding: 1)),  // runs of 13: 4 whole tiles
    Case(  // runs of 14 under a 5×3 kernel, odd rows, the last tile partly past the plane
      n: 2, c: 5, h: 7, w: 13, o: 8, kh: 5,
      p: Conv2DParameters(strideH: 1, strideW: 1, padTop: 2, padBottom: 2, padLeft: 1, padRight: 1)),
    Case(  // runs without vertical padding
      n: 2, c: 4, h: 10, w: 14, o: 8, kh: 3,
      p: Conv2DParameters(strideH: 1, strideW: 1, padTop: 0, padBottom: 0, padLeft: 1, padRight: 1)),
    // 12 output channels: not a whole number of blocks of 8, so no direct kernel (im2col)
    Case(n: 2, c: 3, h: 14, w: 20, o: 12, kh: 3, p: Conv2DParameters(padding: 1)),
    // K = 27 and two blocks of 8: the AVX2 tiles in passes of three channels, twelve vectors
    // of rows of 24 (three per row) to a tile
    Case(n: 2, c: 3, h: 11, w: 24, o: 16, kh: 3, p: Conv2DParameters(padding: 1)),
  ]

  /// Every output element in Double, and Σ|terms| for its rounding scale; `dy` gives the
  /// transposed sums: (dx, its scale), (dw, its scale).
  static func reference(
    _ x: Tensor<Float>, _ w: Tensor<Float>, _ b: Tensor<Float>, _ dy: Tensor<Float>?, _ p: Conv2DParameters
  )
    -> (y: [Double], yScale: [Double], dx: [Double], dxScale: [Double], dw: [Double], dwScale: [Double])
  {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let (oh, ow) = p.outputSize(h: h, w: wd, kh: kh, kw: kw)
    var y = [Double](repeating: 0, count: n * o * oh * ow), yScale = y
    var dx = [Double](repeating: 0, count: x.count), dxScale = dx
    var dw = [Double](repeating: 0, count: w.count), dwScale = dw
    for i in 0..<n {
      for oc in 0..<o {
        for oy in 0..<oh {
          for ox in 0..<ow {
            let yi = ((i * o + oc) * oh + oy) * ow + ox
            y[yi] = Double(b.scalars[oc])
            yScale[yi] = abs(y[yi])
            let g = dy.map { Double($0.scalars[yi]) } ?? 0
            for ic in 0..<c {
              for ky in 0..<kh {
                for kx in 0..<kw {
                  let iy = oy - p.padTop + ky, ix = ox - p.padLeft + kx
                  guard iy >= 0 && iy < h && ix >= 0 && ix < wd else { continue }
                  let xi = ((i * c + ic) * h + iy) * wd + ix, wi = ((oc * c + ic) * kh + ky) * kw + kx
                  let xv = Double(x.scalars[xi]), wv = Double(w.scalars[wi])
                  y[yi] += xv * wv
                  yScale[yi] += abs(xv * wv)
                  dx[xi] += g * wv
                  dxScale[xi] += abs(g * wv)
                  dw[wi] += g * xv
                  dwScale[wi] += abs(g * xv)
                }
              }
            }
          }
        }
      }
    }
    return (y, yScale, dx, dxScale, dw, dwScale)
  }

  static func assertClose(_ got: Tensor<Float>, _ exact: [Double], _ scale: [Double], _ what: String) {
    XCTAssertEqual(got.count, exact.count, what)
    var worst = 0.0
    for k in 0..<min(got.count, exact.count) {
      worst = max(worst, abs(Double(got.scalars[k]) - exact[k]) / max(scale[k], 1e-30))
    }
    // float32 sums of up to a few thousand terms: relative to Σ|terms|, well under 1e-5
    XCTAssertLessThan(worst, 1e-5, what)
  }

  /// Without Winograd (whatever `WORKBENCH_CONV` says), so the 3×3 cases reach the direct kernels;
  /// with the wide register block (AVX-512's) and the narrow one (AVX2's), whatever this CPU is.
  func testDirectKernelsMatchDoubleSums() {
    for wide in [true, false] {
      Conv2D.$wideDirectKernels.withValue(wide) { Conv2D.$algorithm.withValue(.im2col) { checkAgainstDoubleSums() } }
    }
  }

  /// The narrow kernels (two output channels per pass) do the wide kernels' sums in the same
  /// order: forward, input and weight gradients are the same bits, so a run gives the same
  /// numbers on an AVX2 and an AVX-512 machine as far as these kernels go.
  func testNarrowKernelsAreBitIdenticalToWide() {
    // the wide blocks cover a block of output channels, the narrow ones divide it
    XCTAssertEqual(Conv2D.EightPlaneTaps.planes, Conv2D.directOutputBlock)
    XCTAssertEqual(Conv2D.directOutputBlock % Conv2D.TwoPlaneTaps.planes, 0)
    var rng = RandomStream(seed: 7)
    Conv2D.$algorithm.withValue(.im2col) {
      // rows narrower than 16 take im2col with the wide kernels, so only the runs of 16 meet
      // the wide row block
      for (k, t) in Self.cases.enumerated() where t.o % 8 == 0 && t.w + t.p.padLeft + t.p.padRight - 2 >= 16 {
        let x = Tensor<Float>.normal([t.n, t.c, t.h, t.w], rng: &rng)
        let w = Tensor<Float>.normal([t.o, t.c, t.kh, 3], rng: &rng)
        let b = Tensor<Float>.normal([t.o], rng: &rng)
        let run = { (wide: Bool) in
          Conv2D.$wideDirectKernels.withValue(wide) { () -> [[Float]] in
            let y = Conv2D.forward(x, weight: w, bias: b, t.p)
            let g = Conv2D.backward(y, input: x, weight: w, t.p, needInput: true, needWeight: true)
            return [y.scalars, g.dx?.scalars ?? [], g.dw?.scalars ?? []]
          }
        }
        let (wide, narrow) = (run(true), run(false))
        for (part, name) in zip(0..<3, ["forward", "input gradient", "weight gradient"]) {
          XCTAssertFalse(wide[part].isEmpty, "case \(k) \(name)")
          XCTAssertEqual(
            wide[part].map(\.bitPattern), narrow[part].map(\.bitPattern), "case \(k) \(name): narrow ≠ wide")
        }
      }
    }
  }

  /// The AVX2 forward tiles (six vectors for pairs of channels, twelve for the passes of three)
  /// cover every output of a plane exactly once, each vector's input
  /// offset matching its output position, whatever the row width (multiples of 8 or not, rows
  /// shorter than a tile, a last tile filled with vectors that store nothing).
  func testOutputTilesCoverThePlaneOnce() {
    let shapes = [(5, 37), (17, 24), (9, 16), (3, 8), (1, 5), (96, 96), (7, 12)]
    for (oh, ow, v) in shapes.flatMap({ s in [Conv2D.tileVectors, Conv2D.tripleTileVectors].map { (s.0, s.1, $0) } }) {
      let paddedWidth = ow + 19
      let tiles = Conv2D.outputTiles(oh: oh, ow: ow, paddedWidth: paddedWidth, vectors: v)
      XCTAssertEqual(tiles.count % (3 * v), 0)
      var covered = [Int](repeating: 0, count: oh * ow)
      for t in stride(from: 0, to: tiles.count, by: 3 * v) {
        for j in 0..<v {
          let (input, output, count) = (tiles[t + j], tiles[t + v + j], tiles[t + 2 * v + j])
          XCTAssert((0...8).contains(count), "\(oh)×\(ow): \(count) lanes")
          let (y, x) = (output / ow, output % ow)
          XCTAssertEqual(input, 4 * (y * paddedWidth + x), "\(oh)×\(ow): input offset of output \(output)")
          XCTAssertLessThanOrEqual(x + count, ow, "\(oh)×\(ow): a vector past the row end")
          for l in 0..<count { covered[output + l] += 1 }
        }
      }
      XCTAssertEqual(covered, [Int](repeating: 1, count: oh * ow), "\(oh)×\(ow)")
      XCTAssertLessThan(tiles.count / (3 * v), (oh * ((ow + 7) / 8) + v) / v + 1, "\(oh)×\(ow): no needless tiles")
    }
  }

  func checkAgainstDoubleSums() {
    var rng = RandomStream(seed: 31)
    for (k, t) in Self.cases.enumerated() {
      let x = Tensor<Float>.normal([t.n, t.c, t.h, t.w], rng: &rng)
      let w = Tensor<Float>.normal([t.o, t.c, t.kh, 3], rng: &rng)
      let b = Tensor<Float>.normal([t.o], rng: &rng)
      let G = Conv2D.geometry(x.shape, w.shape, t.p, op: "test")
      XCTAssertEqual(
        Conv2D.usesDirectForward(G, t.p), t.o % 8 == 0 && (G.ow >= 16 || !Conv2D.wideDirectKernels),
        "case \(k) takes the direct forward (rows narrower than 16: as runs, without the wide kernels)")
      let y = Conv2D.forward(x, weight: w, bias: b, t.p)
      let dy = Tensor<Float>.normal(y.shape, rng: &rng)
      let exact = Self.reference(x, w, b, dy, t.p)
      XCTAssertEqual(y.shape, [G.n, G.o, G.oh, G.ow])
      Self.assertClose(y, exact.y, exact.yScale, "case \(k) forward")
      let g = Conv2D.backward(dy, input: x, weight: w, t.p, needInput: true, needWeight: true)
      Self.assertClose(g.dx ?? Tensor(zeros: [0]), exact.dx, exact.dxScale, "case \(k) input gradient")
      Self.assertClose(g.dw ?? Tensor(zeros: [0]), exact.dw, exact.dwScale, "case \(k) weight gradient")
      // each part alone gives the same values as both together
      let dxOnly = Conv2D.backward(dy, input: x, weight: w, t.p, needInput: true, needWeight: false).dx
      let dwOnly = Conv2D.backward(dy, input: x, weight: w, t.p, needInput: false, needWeight: true).dw
      XCTAssertEqual(dxOnly?.scalars, g.dx?.scalars, "case \(k)")
      XCTAssertEqual(dwOnly?.scalars, g.dw?.scalars, "case \(k)")
    }
  }

  /// Which cases took which direct kernel: every kernel is exercised above, and shapes outside
  /// their limits are left to im2col.
  func testSelection() {
    func geometry(_ c: Int, _ o: Int, _ h: Int, _ w: Int, _ p: Conv2DParameters, kh: Int = 3, kw: Int = 3)
      -> Conv2D.Geometry
    {
      Conv2D.geometry([2, c, h, w], [o, c / p.groups, kh, kw], p, op: "test")
    }
    let same = Conv2DParameters(padding: 1)
    let inputGradients = Self.cases.filter {
      Conv2D.directInputGradientProblem(geometry($0.c, $0.o, $0.h, $0.w, $0.p, kh: $0.kh), $0.p) != nil
    }
    let weightGradients = Self.cases.filter {
      Conv2D.usesDirectWeightGradient(geometry($0.c, $0.o, $0.h, $0.w, $0.p, kh: $0.kh), $0.p)
    }
    XCTAssertEqual(inputGradients.count, 3)  // C = 8 (twice) and C = 16: whole blocks of 8 input channels
    XCTAssertEqual(weightGradients.count, Self.cases.count - 4)  // all but O = 12 and the rows of 12–14
    XCTAssertFalse(Conv2D.usesDirectForward(geometry(0, 8, 32, 32, same), same), "no input channels")
    XCTAssertFalse(Conv2D.usesDirectWeightGradient(geometry(32, 64, 16, 16, same), same), "C·9 > 144")
    XCTAssertTrue(Conv2D.usesDirectForward(geometry(3, 8, 96, 96, same), same))
    Conv2D.$wideDirectKernels.withValue(false) {
      XCTAssertTrue(Conv2D.usesRuns(geometry(32, 64, 12, 12, same), same), "rows of 12 as runs")
      XCTAssertTrue(Conv2D.usesDirectForward(geometry(32, 64, 12, 12, same), same), "rows of 12 as runs")
      XCTAssertTrue(Conv2D.usesRuns(geometry(32, 64, 16, 16, same), same), "rows of 16 as runs")
      XCTAssertTrue(Conv2D.usesDirectForward(geometry(64, 128, 16, 16, same), same), "rows of 16, C·9 = 576")
      XCTAssertFalse(Conv2D.usesDirectForward(geometry(48, 96, 12, 12, same), same), "rows of 12, C·9 > 288")
      XCTAssertFalse(Conv2D.usesRuns(geometry(16, 32, 24, 24, same), same), "rows of 24 in row tiles")
      XCTAssertFalse(Conv2D.usesDirectForward(geometry(3, 8, 8, 8, same), same), "rows narrower than 12")
      let sidesUnpadded = Conv2DParameters(strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 0, padRight: 0)
      XCTAssertFalse(
        Conv2D.usesDirectForward(geometry(3, 8, 12, 14, sidesUnpadded), sidesUnpadded),
        "rows of 12 without a zero column on either side")
    }
    Conv2D.$wideDirectKernels.withValue(true) {
      XCTAssertFalse(Conv2D.usesRuns(geometry(32, 64, 16, 16, same), same), "the wide row block at 16")
      XCTAssertTrue(Conv2D.usesDirectForward(geometry(32, 64, 16, 16, same), same), "the wide row block at 16")
      XCTAssertFalse(Conv2D.usesDirectForward(geometry(32, 64, 12, 12, same), same), "im2col below 16")
    }
    XCTAssertNil(
      Conv2D.directInputGradientProblem(geometry(32, 64, 12, 12, same), same),
      "the input gradient of rows narrower than 16 shares the weight gradient's im2col pass")
    XCTAssertFalse(Conv2D.usesDirectForward(geometry(3, 12, 32, 32, same), same), "12 output channels")
    XCTAssertFalse(Conv2D.usesDirectForward(geometry(128, 8, 32, 32, same), same), "C·9 > 576")
    let strided = Conv2DParameters(stride: 2, padding: 1)
    XCTAssertFalse(Conv2D.usesDirectForward(geometry(3, 8, 64, 64, strided), strided), "stride 2")
    XCTAssertFalse(Conv2D.usesDirectForward(geometry(3, 8, 32, 32, same, kh: 3, kw: 5), same), "5 wide")
    let grouped = Conv2DParameters(padding: 1, groups: 2)
    XCTAssertFalse(Conv2D.usesDirectForward(geometry(8, 8, 32, 32, grouped), grouped), "grouped")
  }
}
