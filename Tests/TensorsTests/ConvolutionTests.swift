import XCTest

@testable import Tensors

/// Conv2D kernels against a direct 7-loop reference, across strides, asymmetric padding,
/// dilation, groups (depthwise included) and odd sizes, on narrow and wide output maps.
final class ConvolutionTests: XCTestCase {
  struct Case { let n, c, h, w, o, kh, kw: Int; let p: Conv2DParameters }

  static let cases: [Case] = [
    Case(n: 2, c: 3, h: 7, w: 6, o: 4, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),
    Case(n: 1, c: 2, h: 9, w: 8, o: 3, kh: 3, kw: 2, p: Conv2DParameters(stride: 2)),
    Case(
      n: 2, c: 4, h: 6, w: 7, o: 6, kh: 3, kw: 3,
      p: Conv2DParameters(strideH: 2, strideW: 1, padTop: 0, padBottom: 1, padLeft: 2, padRight: 1, groups: 2)),
    // depthwise
    Case(n: 3, c: 5, h: 8, w: 8, o: 5, kh: 3, kw: 3, p: Conv2DParameters(stride: 1, padding: 1, groups: 5)),
    Case(n: 2, c: 3, h: 9, w: 9, o: 2, kh: 3, kw: 3, p: Conv2DParameters(padding: 2, dilation: 2)),
    Case(n: 2, c: 6, h: 5, w: 4, o: 8, kh: 1, kw: 1, p: Conv2DParameters()),  // pointwise fast path
    Case(n: 9, c: 2, h: 5, w: 5, o: 3, kh: 1, kw: 1, p: Conv2DParameters(stride: 2)),  // > maxChunks images
    // Cases above have at most 256 output positions per batch (Conv2D.smallMapColumns): the
    // small-map path for groups = 1. Below: N·HW > 256 with HW ≤ 256 (image-chunked batched
    // path), and output rows of ≥ 16 (Im2Col.narrowWidth: the contiguous-run unfold/fold
    // instead of the gather table; HW > 256 also takes the per-image forward).
    Case(n: 9, c: 3, h: 12, w: 12, o: 4, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),
    Case(n: 2, c: 3, h: 18, w: 20, o: 4, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),
    Case(
      n: 2, c: 2, h: 9, w: 37, o: 3, kh: 3, kw: 3,
      p: Conv2DParameters(strideH: 1, strideW: 2, padTop: 1, padBottom: 0, padLeft: 0, padRight: 2, dilationH: 2)),
  ]

  static func naive(_ x: Tensor<Float>, _ w: Tensor<Float>, _ b: Tensor<Float>?, _ p: Conv2DParameters) -> Tensor<Float>
  {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let (oh, ow) = p.outputSize(h: h, w: wd, kh: kh, kw: kw)
    let cg = c / p.groups, og = o / p.groups
    var y = Tensor<Float>(zeros: [n, o, oh, ow])
    for i in 0..<n {
      for oc in 0..<o {
        for oy in 0..<oh {
          for ox in 0..<ow {
            var s: Double = Double(b?.scalars[oc] ?? 0)
            let g = oc / og
            for ic in 0..<cg {
              for ky in 0..<kh {
                for kx in 0..<kw {
                  let iy = oy * p.strideH - p.padTop + ky * p.dilationH
                  let ix = ox * p.strideW - p.padLeft + kx * p.dilationW
                  if iy >= 0 && iy < h && ix >= 0 && ix < wd {
                    s += Double(x[i, g * cg + ic, iy, ix]) * Double(w[oc, ic, ky, kx])
                  }
                }
              }
            }
            y[i, oc, oy, ox] = Float(s)
          }
        }
      }
    }
    return y
  }

  func testForwardMatchesDirectLoop() {
    var rng = RandomStream(seed: 7)
    let paths = Self.cases.map { t -> String in
      let G = Conv2D.geometry([t.n, t.c, t.h, t.w], [t.o, t.c / t.p.groups, t.kh, t.kw], t.p, op: "test")
      return Conv2D.usesSmallMapPath(G) ? "small" : (G.g == 1 && G.hw <= 256 ? "batched" : "per-image")
    }
    XCTAssertEqual(Set(paths), ["small", "batched", "per-image"], "every forward strategy is exercised")
    for (k, t) in Self.cases.enumerated() {
      let x = Tensor<Float>.normal([t.n, t.c, t.h, t.w], rng: &rng)
      let w = Tensor<Float>.normal([t.o, t.c / t.p.groups, t.kh, t.kw], rng: &rng)
      let b = Tensor<Float>.normal([t.o], rng: &rng)
      let y = Conv2D.forward(x, weight: w, bias: b, t.p)
      let r = Self.naive(x, w, b, t.p)
      XCTAssertEqual(y.shape, r.shape, "case \(k)")
      XCTAssertLessThan(maxAbsDiff(y, r), 1e-4, "case \(k)")
    }
  }

  /// The input and weight gradients are adjoints of the forward map: ⟨dy, conv(x, w)⟩ is
  /// linear in x and in w, so ⟨dy, conv(δx, w)⟩ = ⟨inputGradient(dy), δx⟩, likewise for w.
  func testGradientsAreAdjointsOfForward() {
    var rng = RandomStream(seed: 8)
    for (k, t) in Self.cases.enumerated() {
      let x = Tensor<Float>.normal([t.n, t.c, t.h, t.w], rng: &rng)
      let w = Tensor<Float>.normal([t.o, t.c / t.p.groups, t.kh, t.kw], rng: &rng)
      let y = Conv2D.forward(x, weight: w, bias: nil, t.p)
      let dy = Tensor<Float>.normal(y.shape, rng: &rng)
      let dx = Conv2D.inputGradient(dy, weight: w, inputShape: x.shape, t.p)
      let dw = Conv2D.weightGradient(dy, input: x, weightShape: w.shape, t.p)
      let lhs = dot(dy, y)
      XCTAssertEqual(dot(dx, x), lhs, accuracy: 1e-3 * max(1, abs(lhs)), "case \(k) input")
      XCTAssertEqual(dot(dw, w), lhs, accuracy: 1e-3 * max(1, abs(lhs)), "case \(k) weight")
      if t.p.groups == 1 {  // the small-map and chunk-batched backward strategies agree with the per-image one
        let b = Conv2D.backward(dy, input: x, weight: w, t.p, needInput: true, needWeight: true)
        XCTAssertLessThan(maxAbsDiff(b.dx ?? Tensor(zeros: [0]), dx), 1e-4, "case \(k) batched dx")
        XCTAssertLessThan(maxAbsDiff(b.dw ?? Tensor(zeros: [0]), dw), 1e-3, "case \(k) batched dw")
        XCTAssertEqual(b.dx?.shape, dx.shape)
      }
    }
  }

  func testOutputSizeFormula() {
    let p = Conv2DParameters(strideH: 2, strideW: 3, padTop: 1, padBottom: 0, padLeft: 2, padRight: 2, dilationH: 2)
    let s = p.outputSize(h: 10, w: 11, kh: 3, kw: 3)
    // H: (10 + 1 + 0 − 2·2 − 1) / 2 + 1 = 4;  W: (11 + 4 − 2 − 1) / 3 + 1 = 5
    XCTAssertEqual(s.h, 4)
    XCTAssertEqual(s.w, 5)
  }
}

func maxAbsDiff(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Float {
  zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

func dot(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Double {
  zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// The weight gradient's partial sums: vectorised and split into parallel blocks, but each
/// element must be exactly the sequential 0 + p₀ + p₁ + … of the definition (so chunking and
/// vector width cannot change a trained number).
final class PartialSumTests: XCTestCase {
  func testSumOfPartialsIsTheSequentialSum() {
    var rng = RandomStream(seed: 5).split("partials")
    for (count, parts) in [(7, 1), (16 * 2_100 + 9, 3), (40_000, 8), (0, 4)] {
      var partials = Tensor<Float>.normal([max(1, parts * count)], rng: &rng).scalars
      if count > 0 { partials[0] = -0.0 }  // a single −0.0 part: 0 + (−0.0) is +0.0
      if count == 0 { partials = [] }
      let sum = Conv2D.sumOfPartials(partials, count: count)
      XCTAssertEqual(sum.count, count)
      for j in 0..<count {
        var expected: Float = 0
        for c in 0..<parts { expected += partials[c * count + j] }
        XCTAssertEqual(sum[j].bitPattern, expected.bitPattern, "element \(j) of \(count) × \(parts)")
      }
    }
  }
}
