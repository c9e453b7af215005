import XCTest

@testable import Tensors

/// The image-lane kernels of small maps (`Conv2D+ImageLanes.swift`) against sums in Double:
/// maps from 1×1 (only the centre tap is valid) to 8×7 and non-square, output and input
/// channel counts that are not whole tiles, one and two groups of 16 images.
final class ImageLaneConvolutionTests: XCTestCase {
  struct Case { let n, c, h, w, o: Int }

  static let cases: [Case] = [
    Case(n: 16, c: 5, h: 3, w: 3, o: 13),  // partial output panel (13 = 2·6 + 1), depth 5
    Case(n: 32, c: 20, h: 2, w: 2, o: 6),  // two image groups, a partial input-channel block (20 = 16 + 4)
    Case(n: 16, c: 16, h: 1, w: 1, o: 7),  // only the centre tap is inside the map
    Case(n: 16, c: 9, h: 4, w: 5, o: 12),  // non-square
    Case(n: 16, c: 33, h: 6, w: 6, o: 8),
    Case(n: 32, c: 64, h: 8, w: 7, o: 65),  // a deep layer past 6×6 (56 positions): two groups, partial panel
  ]

  func testLayersTakeThePath() {
    func takes(_ t: Case, _ p: Conv2DParameters = Conv2DParameters(padding: 1)) -> Bool {
      Conv2D.usesImageLanes(Conv2D.geometry([t.n, t.c, t.h, t.w], [t.o, t.c, 3, 3], p, op: "test"), p)
    }
    for t in Self.cases { XCTAssertTrue(takes(t), "\(t)") }
    XCTAssertTrue(takes(Case(n: 16, c: 64, h: 8, w: 8, o: 64)), "8×8 with 64 channels")
    let refused: [(Case, String)] = [
      (Case(n: 8, c: 16, h: 3, w: 3, o: 16), "8 images are not a lane group"),
      (Case(n: 16, c: 16, h: 7, w: 7, o: 16), "7×7 with 16 channels"),
      (Case(n: 16, c: 32, h: 8, w: 8, o: 64), "8×8 with 32 input channels"),
      (Case(n: 16, c: 64, h: 9, w: 9, o: 64), "9×9 is past the largest map"),
      (Case(n: 16, c: 64, h: 4, w: 16, o: 64), "4×16: 64 positions, but rows of 16"),
    ]
    for (t, why) in refused { XCTAssertFalse(takes(t), why) }
    XCTAssertFalse(takes(Case(n: 16, c: 16, h: 6, w: 6, o: 16), Conv2DParameters(stride: 2, padding: 1)), "stride 2")
  }

  /// Forward (with bias), input gradient and weight gradient through ``Conv2D/forward`` and
  /// ``Conv2D/backward``, which take the lane kernels for these layers.
  func testMatchesDoubleSums() {
    var rng = RandomStream(seed: 11)
    let p = Conv2DParameters(padding: 1)
    Conv2D.$algorithm.withValue(.im2col) {
      for t in Self.cases {
        let x = Tensor<Float>.normal([t.n, t.c, t.h, t.w], rng: &rng)
        let w = Tensor<Float>.normal([t.o, t.c, 3, 3], rng: &rng)
        let b = Tensor<Float>.normal([t.o], rng: &rng)
        let dy = Tensor<Float>.normal([t.n, t.o, t.h, t.w], rng: &rng)
        let r = DirectConvolutionTests.reference(x, w, b, dy, p)
        let y = Conv2D.forward(x, weight: w, bias: b, p)
        let g = Conv2D.backward(dy, input: x, weight: w, p, needInput: true, needWeight: true)
        DirectConvolutionTests.assertClose(y, r.y, r.yScale, "forward \(t)")
        guard let dx = g.dx, let dw = g.dw else { return XCTFail("missing gradients for \(t)") }
        DirectConvolutionTests.assertClose(dx, r.dx, r.dxScale, "input gradient \(t)")
        DirectConvolutionTests.assertClose(dw, r.dw, r.dwScale, "weight gradient \(t)")
        // each gradient alone is the same bits as both together
        let onlyInput = Conv2D.backward(dy, input: x, weight: w, p, needInput: true, needWeight: false)
        XCTAssertEqual(onlyInput.dx?.scalars, dx.scalars, "\(t)")
        XCTAssertNil(onlyInput.dw)
      }
    }
  }
}
