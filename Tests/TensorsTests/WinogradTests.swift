import XCTest

@testable import Tensors

/// Winograd F(2×2, 3×3) against the direct convolution summed in Double, at the layer sizes
/// of the networks we ship (tiny YOLO at 96×96, full and half width; the benchmark's reference
/// network), and on odd sizes that exercise the partial tiles and the SIMD/scalar split.
///
/// The bound: every output's error is at most `bound` × Σ|w||x| over its receptive field
/// (the scale any float summation's rounding grows with), and the worst error of a layer is
/// at most 4× that of im2col + sgemm on the same data.
final class WinogradTests: XCTestCase {
  /// Error per unit of Σ|w||x|: float32's unit roundoff is 6e-8; im2col measures ~1e-7 here.
  static let bound = 1e-6

  /// (images, in, out, size): the 3×3 layers of tiny YOLO at 96×96 (width 1 and 0.5) and of
  /// the reference network; one image for the large ones (the per-image work is the same).
  static let layers: [(n: Int, c: Int, o: Int, hw: Int)] = [
    (1, 3, 16, 96), (1, 16, 32, 48), (1, 32, 64, 24), (1, 64, 128, 12), (2, 128, 256, 6), (2, 256, 512, 3),
    (2, 384, 256, 6), (1, 8, 16, 48), (1, 16, 32, 24), (2, 64, 128, 6), (2, 192, 128, 6), (1, 16, 32, 32),
    (2, 32, 64, 16), (2, 64, 128, 8),
  ]

  /// Direct convolution (padding 1) in Double and Σ|w||x| per output.
  static func direct(_ x: Tensor<Float>, _ w: Tensor<Float>) -> (y: [Double], scale: [Double]) {
    let (n, c, h, wd, o) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[0])
    var y = [Double](repeating: 0, count: n * o * h * wd), scale = y
    x.scalars.withUnsafeBufferPointer { px in
      w.scalars.withUnsafeBufferPointer { pw in
        for i in 0..<n {
          for oc in 0..<o {
            for oy in 0..<h {
              for ox in 0..<wd {
                var s = 0.0, a = 0.0
                for ic in 0..<c {
                  let xp = (i * c + ic) * h * wd, wp = (oc * c + ic) * 9
                  for ky in 0..<3 where oy + ky - 1 >= 0 && oy + ky - 1 < h {
                    for kx in 0..<3 where ox + kx - 1 >= 0 && ox + kx - 1 < wd {
                      let v = Double(px[xp + (oy + ky - 1) * wd + ox + kx - 1]) * Double(pw[wp + ky * 3 + kx])
                      s += v
                      a += Swift.abs(v)
                    }
                  }
                }
                let k = ((i * o + oc) * h + oy) * wd + ox
                y[k] = s
                scale[k] = a
              }
            }
          }
        }
      }
    }
    return (y, scale)
  }

  /// Worst |computed − exact| / Σ|w||x| over the outputs.
  static func worstError(_ y: Tensor<Float>, _ exact: (y: [Double], scale: [Double])) -> Double {
    var worst = 0.0
    for k in 0..<exact.y.count {
      worst = Swift.max(worst, Swift.abs(Double(y.scalars[k]) - exact.y[k]) / Swift.max(exact.scale[k], 1e-30))
    }
    return worst
  }

  func testForwardAccuracyAtShippedLayerSizes() {
    var rng = RandomStream(seed: 11)
    let p = Conv2DParameters(padding: 1)
    for (n, c, o, hw) in Self.layers {
      let x = Tensor<Float>.normal([n, c, hw, hw], rng: &rng)
      let w = Tensor<Float>.normal([o, c, 3, 3], rng: &rng) * Float(1 / Double(9 * c).squareRoot())
      let exact = Self.direct(x, w)
      let winograd = Self.worstError(Conv2D.forward(x, weight: w, bias: nil, p, algorithm: .winograd), exact)
      let im2col = Self.worstError(Conv2D.forward(x, weight: w, bias: nil, p, algorithm: .im2col), exact)
      XCTAssertLessThan(winograd, Self.bound, "\(c)→\(o) at \(hw)×\(hw)")
      XCTAssertLessThan(winograd, 4 * Swift.max(im2col, 1e-8), "\(c)→\(o) at \(hw)×\(hw): im2col \(im2col)")
    }
  }

  /// Odd and narrow sizes: partial tiles at the bottom and right, rows of 8+ tiles (SIMD) with
  /// leftovers, a 1-pixel-wide map; with a bias.
  func testForwardAndInputGradientOnOddSizes() {
    var rng = RandomStream(seed: 12)
    let p = Conv2DParameters(padding: 1)
    for (n, c, o, h, wd) in [(2, 3, 5, 7, 6), (3, 4, 6, 5, 17), (1, 2, 3, 1, 1), (2, 5, 4, 9, 33), (1, 8, 8, 2, 40)] {
      let x = Tensor<Float>.normal([n, c, h, wd], rng: &rng)
      let w = Tensor<Float>.normal([o, c, 3, 3], rng: &rng)
      let b = Tensor<Float>.normal([o], rng: &rng)
      let y = Conv2D.forward(x, weight: w, bias: b, p, algorithm: .winograd)
      let exact = Self.direct(x, w)
      for k in 0..<exact.y.count {
        let expected = exact.y[k] + Double(b.scalars[k / (h * wd) % o])
        XCTAssertEqual(Double(y.scalars[k]), expected, accuracy: 1e-5 * (1 + exact.scale[k]), "\(n)×\(c)×\(h)×\(wd)")
      }
      // the input gradient is the adjoint of the forward map: ⟨dy, conv(x)⟩ = ⟨dx, x⟩
      let dy = Tensor<Float>.normal(y.shape, rng: &rng)
      let g = Conv2D.backward(dy, input: x, weight: w, p, needInput: true, needWeight: true, algorithm: .winograd)
      let reference = Conv2D.inputGradient(dy, weight: w, inputShape: x.shape, p)
      XCTAssertLessThan(maxAbsDiff(g.dx ?? Tensor(zeros: [0]), reference), 1e-4, "\(n)×\(c)×\(h)×\(wd) dx")
      XCTAssertEqual(g.dx?.shape, x.shape)
      let dw = Conv2D.weightGradient(dy, input: x, weightShape: w.shape, p)
      XCTAssertLessThan(maxAbsDiff(g.dw ?? Tensor(zeros: [0]), dw), 1e-3, "\(n)×\(c)×\(h)×\(wd) dw")
    }
  }

  /// `auto` takes Winograd only where it applies and pays; other shapes keep im2col.
  func testAutoSelection() {
    func uses(_ c: Int, _ o: Int, _ hw: Int, _ q: Conv2DParameters, _ algorithm: Conv2DAlgorithm) -> Bool {
      Conv2D.usesWinograd(Conv2D.geometry([2, c, hw, hw], [o, c / q.groups, 3, 3], q, op: "test"), q, algorithm)
    }
    let p = Conv2DParameters(padding: 1)
    XCTAssertTrue(uses(32, 64, 24, p, .auto))
    XCTAssertTrue(uses(16, 32, 12, p, .auto))
    XCTAssertFalse(uses(8, 16, 48, p, .auto))  // few channels
    XCTAssertFalse(uses(64, 128, 8, p, .auto))  // small map
    XCTAssertFalse(uses(256, 512, 3, p, .auto))  // tiny map
    XCTAssertFalse(uses(32, 64, 24, p, .im2col))
    XCTAssertTrue(uses(3, 4, 5, p, .winograd))
    XCTAssertFalse(uses(32, 64, 24, Conv2DParameters(stride: 2, padding: 1), .winograd))
    XCTAssertFalse(uses(32, 64, 24, Conv2DParameters(padding: 2, dilation: 2), .winograd))
    XCTAssertFalse(uses(32, 64, 24, Conv2DParameters(padding: 1, groups: 2), .winograd))
  }
}
