import XCTest

@testable import Tensors

final class PoolingTests: XCTestCase {
  func testMaxPoolHandComputed() {
    let x = Tensor<Float>(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init))
    let (y, arg) = Pooling.maxForward(x, Pool2DParameters(kernel: 2))
    XCTAssertEqual(y.scalars, [5, 7, 13, 15])
    XCTAssertEqual(arg.scalars, [5, 7, 13, 15])
    let dx = Pooling.maxBackward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), argmax: arg, inputShape: x.shape)
    XCTAssertEqual(dx.scalars[5], 1); XCTAssertEqual(dx.scalars[15], 4)
    XCTAssertEqual(dx.scalars.reduce(0, +), 10)
  }

  /// The vectorised 2×2/2 path equals a direct loop — values and the index of the first
  /// maximum in (top-left, top-right, bottom-left, bottom-right) order — on widths with and
  /// without a scalar tail, odd sizes, and many ties (values drawn from a few levels).
  func testTwoByTwoMaxPoolMatchesDirectLoop() {
    var rng = RandomStream(seed: 5)
    for (h, w) in [(4, 16), (6, 42), (7, 37), (2, 2)] {
      let x = Tensor<Float>(shape: [2, 3, h, w], scalars: (0..<(6 * h * w)).map { _ in Float(rng.nextInt(below: 4)) })
      let (y, arg) = Pooling.maxForward(x, Pool2DParameters(kernel: 2))
      let (oh, ow) = (h / 2, w / 2)
      for plane in 0..<6 {
        for oi in 0..<oh {
          for oj in 0..<ow {
            var best = -Float.infinity, at = 0
            for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
              let i = (2 * oi + dy) * w + 2 * oj + dx
              if x.scalars[plane * h * w + i] > best { best = x.scalars[plane * h * w + i]; at = i }
            }
            let o = (plane * oh + oi) * ow + oj
            XCTAssertEqual(y.scalars[o], best, "\(h)×\(w) plane \(plane) (\(oi), \(oj))")
            XCTAssertEqual(Int(arg.scalars[o]), at, "\(h)×\(w) plane \(plane) (\(oi), \(oj))")
          }
        }
      }
    }
  }

  /// The values-only max pool (inference) equals `maxForward`'s output bit for bit: the plain
  /// 2×2/2 window on widths with and without a vector tail and odd sizes, ties (values from a
  /// few levels), and general windows with padding, strides and ceil mode on random data.
  func testValuesOnlyMaxPoolMatchesMaxForwardBitForBit() {
    var rng = RandomStream(seed: 11)
    let cases: [(h: Int, w: Int, p: Pool2DParameters, ties: Bool)] = [
      (4, 16, Pool2DParameters(kernel: 2), true), (6, 42, Pool2DParameters(kernel: 2), true),
      (7, 37, Pool2DParameters(kernel: 2), false), (9, 33, Pool2DParameters(kernel: 2), false),
      (2, 2, Pool2DParameters(kernel: 2), true), (5, 5, Pool2DParameters(kernel: 2, ceilMode: true), false),
      (7, 9, Pool2DParameters(kernel: 3, stride: 1, padding: 1), true),
      (11, 13, Pool2DParameters(kernel: 3, stride: 2, padding: 1), false),
      (8, 10, Pool2DParameters(kernelH: 2, kernelW: 3, strideH: 1, strideW: 2, padTop: 1, padRight: 1), false),
    ]
    for (h, w, p, ties) in cases {
      let x = Tensor<Float>(
        shape: [2, 3, h, w],
        scalars: (0..<(6 * h * w)).map { _ in ties ? Float(rng.nextInt(below: 3)) - 1 : rng.nextFloat() * 4 - 2 })
      let expected = Pooling.maxForward(x, p).output
      let y = Pooling.maxValues(x, p)
      XCTAssertEqual(y.shape, expected.shape, "\(h)×\(w) \(p)")
      XCTAssertEqual(y.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), "\(h)×\(w) \(p)")
    }
  }

  /// Ceil mode on a 5×5 input with a 2×2/2 window gives 3×3 (PyTorch), the last window partial.
  func testCeilModeAndPaddingNeverWins() {
    let x = Tensor<Float>(shape: [1, 1, 5, 5], scalars: (0..<25).map { -Float($0) })
    let p = Pool2DParameters(kernel: 2, stride: 2, ceilMode: true)
    XCTAssertEqual(p.outputSize(h: 5, w: 5).h, 3)
    let (y, _) = Pooling.maxForward(x, p)
    XCTAssertEqual(y.scalars, [0, -2, -4, -10, -12, -14, -20, -22, -24])
    // floor mode: 2×2
    XCTAssertEqual(Pool2DParameters(kernel: 2).outputSize(h: 5, w: 5).h, 2)
    // padded 3×3/1 max pool keeps the shape; negative inputs prove padding is −∞, not 0
    let (z, _) = Pooling.maxForward(x, Pool2DParameters(kernel: 3, stride: 1, padding: 1))
    XCTAssertEqual(z.shape, [1, 1, 5, 5])
    XCTAssertEqual(z[0, 0, 0, 0], 0)
    XCTAssertEqual(z[0, 0, 4, 4], -18)
  }

  /// Average divisor: PyTorch counts padding when countIncludePad, and never counts the part of a
  /// ceil-mode window beyond the padded input.
  func testAveragePoolDivisors() {
    let x = Tensor<Float>(repeating: 1, shape: [1, 1, 3, 3])
    let incl = Pooling.avgForward(x, Pool2DParameters(kernel: 2, stride: 2, padding: 1))
    XCTAssertEqual(incl.scalars, [0.25, 0.5, 0.5, 1])
    let excl = Pooling.avgForward(x, Pool2DParameters(kernel: 2, stride: 2, padding: 1, countIncludePad: false))
    XCTAssertEqual(excl.scalars, [1, 1, 1, 1])
    let ceil = Pooling.avgForward(x, Pool2DParameters(kernel: 2, stride: 2, ceilMode: true))
    XCTAssertEqual(ceil.shape, [1, 1, 2, 2])
    XCTAssertEqual(ceil.scalars, [1, 1, 1, 1])  // partial windows divide by their clipped size
  }

  func testUpsampleAndGlobalAverage() {
    let x = Tensor<Float>(shape: [1, 2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
    let u = Pooling.upsampleNearest(x, factor: 2)
    XCTAssertEqual(u.shape, [1, 2, 4, 4])
    XCTAssertEqual(Array(u.scalars[0..<8]), [1, 1, 2, 2, 1, 1, 2, 2])
    XCTAssertEqual(Pooling.upsampleNearestBackward(u, factor: 2).scalars, x.scalars.map { $0 * 4 })
    XCTAssertEqual(Pooling.globalAvgForward(x).scalars, [2.5, 6.5])
  }

  /// Factor 3 on a non-square map, many planes (split across the parallel chunks): every output
  /// is the input at (i / 3, j / 3), and the gradient of input (i, j) is its 3×3 block of the
  /// output gradient summed in row order, as written out here element by element.
  func testUpsampleFactorThreeAgainstItsDefinition() {
    var rng = RandomStream(seed: 5).split("upsample")
    let x = Tensor<Float>.normal([3, 5, 2, 4], rng: &rng)
    let u = Pooling.upsampleNearest(x, factor: 3)
    XCTAssertEqual(u.shape, [3, 5, 6, 12])
    let dy = Tensor<Float>.normal(u.shape, rng: &rng)
    let dx = Pooling.upsampleNearestBackward(dy, factor: 3)
    XCTAssertEqual(dx.shape, x.shape)
    for plane in 0..<15 {
      for i in 0..<6 {
        for j in 0..<12 {
          XCTAssertEqual(u.scalars[(plane * 6 + i) * 12 + j], x.scalars[(plane * 2 + i / 3) * 4 + j / 3])
        }
      }
      for i in 0..<2 {
        for j in 0..<4 {
          var sum: Float = 0
          for di in 0..<3 {
            for dj in 0..<3 { sum += dy.scalars[(plane * 6 + 3 * i + di) * 12 + 3 * j + dj] }
          }
          XCTAssertEqual(dx.scalars[(plane * 2 + i) * 4 + j].bitPattern, sum.bitPattern)
        }
      }
    }
  }
}
