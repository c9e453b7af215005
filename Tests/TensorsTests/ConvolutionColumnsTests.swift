import XCTest

@testable import Tensors

/// The forward's im2col columns kept for the weight gradient (`Conv2D.Columns`): the same
/// output, and gradients bit-identical to unfolding again, on every path that keeps them; no
/// columns where the forward did not build them for the whole batch.
final class ConvolutionColumnsTests: XCTestCase {
  func testKeptColumnsGiveBitIdenticalGradients() {
    typealias Case = ConvolutionTests.Case
    let extra = [
      // 3×3 maps × 8 images with 64 channels (a small-map layer of tiny YOLO at 96×96, narrowed;
      // 16 images would take the image-lane kernels, which build no columns)
      Case(n: 8, c: 64, h: 3, w: 3, o: 32, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),
      // 6×6 maps × 8 images: N·HW = 288, the chunk-batched path
      Case(n: 8, c: 24, h: 6, w: 6, o: 16, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),
      // 6×6 maps × 16 images: the image-lane kernels, no columns
      Case(n: 16, c: 24, h: 6, w: 6, o: 16, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),
      Case(n: 16, c: 24, h: 6, w: 6, o: 16, kh: 1, kw: 1, p: Conv2DParameters()),  // pointwise, batched
      Case(n: 2, c: 4, h: 24, w: 24, o: 8, kh: 3, kw: 3, p: Conv2DParameters(padding: 1)),  // image by image
    ]
    var rng = RandomStream(seed: 21)
    var kept = 0
    for (k, t) in (ConvolutionTests.cases + extra).enumerated() where t.p.groups == 1 {
      let x = Tensor<Float>.normal([t.n, t.c, t.h, t.w], rng: &rng)
      let w = Tensor<Float>.normal([t.o, t.c, t.kh, t.kw], rng: &rng)
      let b = Tensor<Float>.normal([t.o], rng: &rng)
      let G = Conv2D.geometry(x.shape, w.shape, t.p, op: "test")
      let (y, columns) = Conv2D.forwardKeepingColumns(x, weight: w, bias: b, t.p, algorithm: .im2col)
      XCTAssertEqual(y.scalars, Conv2D.forward(x, weight: w, bias: b, t.p, algorithm: .im2col).scalars, "case \(k)")
      let builds =
        !Conv2D.usesDirectForward(G, t.p) && !Conv2D.usesImageLanes(G, t.p)
        && (Conv2D.usesSmallMapPath(G) || Conv2D.usesBatchedPath(G))
      XCTAssertEqual(columns != nil, builds, "case \(k): columns kept exactly where the forward built them")
      if columns != nil { kept += 1 }
      let dy = Tensor<Float>.normal(y.shape, rng: &rng)
      for needInput in [true, false] {
        let plain = Conv2D.backward(
          dy, input: x, weight: w, t.p, needInput: needInput, needWeight: true, algorithm: .im2col)
        let reused = Conv2D.backward(
          dy, input: x, weight: w, t.p, needInput: needInput, needWeight: true, algorithm: .im2col, columns: columns)
        XCTAssertEqual(reused.dw?.scalars, plain.dw?.scalars, "case \(k) dw")
        XCTAssertEqual(reused.dx?.scalars, plain.dx?.scalars, "case \(k) dx")
        // and the weight gradient is the forward's adjoint: ⟨dW, W⟩ = ⟨dy, y − b⟩
        let lhs = dot(dy, y) - dot(Conv2D.biasGradient(dy), b)
        XCTAssertEqual(dot(reused.dw ?? Tensor(zeros: [0]), w), lhs, accuracy: 1e-3 * max(1, abs(lhs)), "case \(k)")
      }
    }
    XCTAssertGreaterThanOrEqual(kept, 5, "the cases must exercise both paths that keep columns")
  }

  /// Columns of a layer with other extents are never read: the gradient is the one computed
  /// without them.
  func testColumnsOfAnotherLayerAreIgnored() {
    var rng = RandomStream(seed: 22)
    let p = Conv2DParameters(padding: 1)
    let other = Conv2D.forwardKeepingColumns(
      Tensor<Float>.normal([4, 3, 4, 4], rng: &rng), weight: Tensor<Float>.normal([2, 3, 3, 3], rng: &rng), bias: nil,
      p, algorithm: .im2col
    ).columns
    XCTAssertNotNil(other)
    let x = Tensor<Float>.normal([4, 5, 4, 4], rng: &rng), w = Tensor<Float>.normal([2, 5, 3, 3], rng: &rng)
    let dy = Tensor<Float>.normal([4, 2, 4, 4], rng: &rng)
    let plain = Conv2D.backward(dy, input: x, weight: w, p, needInput: false, needWeight: true, algorithm: .im2col)
    let given = Conv2D.backward(
      dy, input: x, weight: w, p, needInput: false, needWeight: true, algorithm: .im2col, columns: other)
    XCTAssertEqual(given.dw?.scalars, plain.dw?.scalars)
  }
}
