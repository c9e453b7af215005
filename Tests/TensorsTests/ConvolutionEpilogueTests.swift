import XCTest

@testable import Tensors

/// `Conv2D.forward` with an epilogue equals the convolution followed by
/// `BatchNormKernel.normalize` (inference BatchNorm with an optional activation) to the bit, on
/// every forward path: per-image im2col on large maps (plain, pointwise, grouped, depthwise,
/// stride 2), the image-chunked batched path, the small-map path, the image-lane kernels, the
/// direct kernel and Winograd; and with a
/// 2×2, stride-2 max pool in the epilogue, the max pool of that result.
final class ConvolutionEpilogueTests: XCTestCase {
  struct Case {
    let name: String
    let n, c, h, w, o, k: Int
    let p: Conv2DParameters
    var algorithm: Conv2DAlgorithm = .im2col
  }

  static let cases: [Case] = [
    Case(name: "large map", n: 2, c: 3, h: 20, w: 19, o: 5, k: 3, p: Conv2DParameters(padding: 1)),
    Case(name: "large pointwise", n: 2, c: 6, h: 17, w: 17, o: 4, k: 1, p: Conv2DParameters()),
    Case(name: "grouped", n: 3, c: 4, h: 9, w: 11, o: 6, k: 3, p: Conv2DParameters(padding: 1, groups: 2)),
    Case(name: "depthwise", n: 2, c: 5, h: 8, w: 8, o: 5, k: 3, p: Conv2DParameters(padding: 1, groups: 5)),
    Case(name: "large stride 2", n: 2, c: 3, h: 41, w: 40, o: 4, k: 3, p: Conv2DParameters(stride: 2, padding: 1)),
    Case(name: "batched small map", n: 5, c: 4, h: 10, w: 10, o: 6, k: 3, p: Conv2DParameters(padding: 1)),
    Case(name: "batched stride 2", n: 9, c: 3, h: 15, w: 15, o: 4, k: 3, p: Conv2DParameters(stride: 2, padding: 1)),
    Case(name: "small-map path", n: 2, c: 8, h: 4, w: 4, o: 7, k: 3, p: Conv2DParameters(padding: 1)),
    Case(name: "small-map pointwise", n: 3, c: 8, h: 3, w: 3, o: 5, k: 1, p: Conv2DParameters()),
    Case(name: "image lanes", n: 16, c: 7, h: 6, w: 6, o: 13, k: 3, p: Conv2DParameters(padding: 1)),
    Case(name: "direct odd sizes", n: 2, c: 3, h: 21, w: 37, o: 8, k: 3, p: Conv2DParameters(padding: 1)),
    Case(name: "direct rows of 24", n: 3, c: 8, h: 16, w: 24, o: 16, k: 3, p: Conv2DParameters(padding: 1)),
    Case(name: "direct runs of 13", n: 3, c: 5, h: 13, w: 12, o: 8, k: 3, p: Conv2DParameters(padding: 1)),
    Case(
      name: "winograd odd sizes", n: 2, c: 5, h: 13, w: 21, o: 7, k: 3, p: Conv2DParameters(padding: 1),
      algorithm: .winograd),
    Case(
      name: "winograd wide", n: 3, c: 16, h: 12, w: 34, o: 16, k: 3, p: Conv2DParameters(padding: 1),
      algorithm: .winograd),
  ]

  /// With the narrow (AVX2) and the wide (AVX-512) direct kernels, whatever this CPU is: the
  /// runs of 12–16 are the narrow kernels' only.
  func testEpilogueEqualsConvolutionThenNormalizeToTheBit() {
    for wide in [false, true] { Conv2D.$wideDirectKernels.withValue(wide) { checkEpilogues() } }
  }

  func checkEpilogues() {
    var rng = RandomStream(seed: 21)
    func random(_ shape: [Int], _ scale: Float = 1, offset: Float = 0) -> Tensor<Float> {
      Tensor(shape: shape, scalars: (0..<shape.product).map { _ in (rng.nextFloat() * 2 - 1) * scale + offset })
    }
    for t in Self.cases {
      let x = random([t.n, t.c, t.h, t.w])
      let weight = random([t.o, t.c / t.p.groups, t.k, t.k], 0.5)
      let gamma = random([t.o], 1.5), beta = random([t.o], 0.5)
      let mean = random([t.o], 0.3).scalars, variance = random([t.o], 0.5, offset: 1).scalars
      let invStd = variance.map { 1 / ($0 + 1e-5).squareRoot() }
      for bias in [nil, random([t.o], 0.2)] {
        let plain = Conv2D.forward(x, weight: weight, bias: bias, t.p, algorithm: t.algorithm)
        for activation in [nil, .relu, .leakyRelu(0.1)] as [BatchNormKernel.Activation?] {
          let expected = BatchNormKernel.normalize(
            plain, mean: mean, invStd: invStd, gamma: gamma, beta: beta, activation: activation)
          let epilogue = Conv2D.Epilogue(
            batchNormMean: mean, invStd: invStd, gamma: gamma, beta: beta, activation: activation)
          let fused = Conv2D.forward(x, weight: weight, bias: bias, t.p, algorithm: t.algorithm, epilogue: epilogue)
          let what = "\(t.name), bias \(bias != nil), \(String(describing: activation))"
          XCTAssertEqual(fused.shape, expected.shape, what)
          XCTAssertEqual(fused.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), what)
          // with the 2×2/2 max pool: the pooled values of the same tensor (odd sizes drop the
          // last row or column, as floor mode does)
          let pooled = Conv2D.forward(
            x, weight: weight, bias: bias, t.p, algorithm: t.algorithm,
            epilogue: Conv2D.Epilogue(
              batchNormMean: mean, invStd: invStd, gamma: gamma, beta: beta, activation: activation, maxPool2x2: true))
          let expectedPooled = Pooling.maxForward(expected, Pool2DParameters(kernel: 2)).output
          XCTAssertEqual(pooled.shape, expectedPooled.shape, what + ", pooled")
          XCTAssertEqual(
            pooled.scalars.map(\.bitPattern), expectedPooled.scalars.map(\.bitPattern), what + ", pooled")
        }
      }
    }
  }

  /// The cases take the paths they are named after (so the test above covers each of them),
  /// with the narrow direct kernels.
  func testCasesCoverEveryForwardPath() {
    Conv2D.$wideDirectKernels.withValue(false) { checkCoverage() }
  }

  func checkCoverage() {
    for t in Self.cases {
      let G = Conv2D.geometry([t.n, t.c, t.h, t.w], [t.o, t.c / t.p.groups, t.k, t.k], t.p, op: "test")
      let winograd = Conv2D.usesWinograd(G, t.p, t.algorithm), small = Conv2D.usesSmallMapPath(G)
      let batched = !small && G.g == 1 && G.hw <= 256, direct = !winograd && Conv2D.usesDirectForward(G, t.p)
      let lanes = !winograd && !direct && Conv2D.usesImageLanes(G, t.p)
      switch t.name {
      case "image lanes": XCTAssertTrue(lanes, t.name)
      case let name where name.hasPrefix("winograd"): XCTAssertTrue(winograd, name)
      case let name where name.hasPrefix("direct"): XCTAssertTrue(direct, name)
      case let name where name.hasPrefix("small-map"): XCTAssertTrue(!winograd && !lanes && small, name)
      case let name where name.hasPrefix("batched"): XCTAssertTrue(!winograd && !lanes && batched, name)
      default: XCTAssertTrue(!winograd && !small && !batched && !direct && !lanes, t.name)
      }
    }
  }

  /// A hand-computed case: a 1×1 convolution with weight 2 and bias 1 gives z = 2x + 1; scale
  /// 0.5 and shift −1 give 0.5z − 1 = x − 0.5, then leaky ReLU 0.1.
  func testHandComputedEpilogue() {
    let x = Tensor<Float>(shape: [1, 1, 1, 4], scalars: [-2, 0, 0.5, 3])
    let y = Conv2D.forward(
      x, weight: Tensor(shape: [1, 1, 1, 1], scalars: [2]), bias: Tensor(shape: [1], scalars: [1]),
      Conv2DParameters(), epilogue: Conv2D.Epilogue(scales: [0.5], shifts: [-1], activation: .leakyRelu(0.1)))
    XCTAssertEqual(y.scalars, [-0.25, -0.05, 0, 2.5])
  }
}
