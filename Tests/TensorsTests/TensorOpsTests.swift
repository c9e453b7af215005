import XCTest

@testable import Tensors

/// Exact-value tests of elementwise, reduction, softmax, matmul and movement ops.
final class TensorOpsTests: XCTestCase {
  func testBroadcastArithmetic() {
    let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let row = Tensor<Float>(shape: [3], scalars: [10, 20, 30])
    let col = Tensor<Float>(shape: [2, 1], scalars: [100, 200])
    XCTAssertEqual((a + row).scalars, [11, 22, 33, 14, 25, 36])
    XCTAssertEqual((a * col).scalars, [100, 200, 300, 800, 1000, 1200])
    XCTAssertEqual((row - col).shape, [2, 3])
    XCTAssertEqual((row - col).scalars, [-90, -80, -70, -190, -180, -170])
    XCTAssertEqual((a / Tensor(scalar: 2)).scalars, [0.5, 1, 1.5, 2, 2.5, 3])
    XCTAssertNil(Broadcast.shape([2, 3], [2]))
    XCTAssertEqual(Broadcast.shape([4, 1, 3], [5, 1]), [4, 5, 3])
  }

  func testUnaryOps() {
    let x = Tensor<Float>(shape: [5], scalars: [-2, -0.5, 0, 0.5, 7])
    XCTAssertEqual(x.relu().scalars, [0, 0, 0, 0.5, 7])
    XCTAssertEqual(x.relu6().scalars, [0, 0, 0, 0.5, 6])
    XCTAssertEqual(x.leakyRelu(0.1).scalars, [-0.2, -0.05, 0, 0.5, 7])
    XCTAssertEqual(x.clamped(-1, 1).scalars, [-1, -0.5, 0, 0.5, 1])
    XCTAssertEqual(x.abs().scalars, [2, 0.5, 0, 0.5, 7])
    XCTAssertEqual(x.sigmoid()[2], 0.5)
    XCTAssertEqual(Tensor<Float>.sigmoid(-100), 0, accuracy: 1e-30)  // stable, no NaN
    XCTAssertEqual(Tensor<Float>(shape: [1], scalars: [1]).exp()[0], 2.7182817, accuracy: 1e-6)
    XCTAssertEqual(Tensor<Float>(shape: [1], scalars: [0.5]).tanh()[0], 0.46211716, accuracy: 1e-6)
  }

  func testReductions() {
    let x = Tensor<Float>(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
    XCTAssertEqual(x.sum().scalar, 66)
    XCTAssertEqual(x.sum(axes: [1]).scalars, [6, 9, 24, 27])
    XCTAssertEqual(x.sum(axes: [0, 2], keepDims: true).shape, [1, 3, 1])
    XCTAssertEqual(x.sum(axes: [0, 2]).scalars, [14, 22, 30])
    XCTAssertEqual(x.mean(axes: [-1]).scalars, [0.5, 2.5, 4.5, 6.5, 8.5, 10.5])
    XCTAssertEqual(x.max(axes: [1]).scalars, [4, 5, 10, 11])
    let y = Tensor<Float>(shape: [2, 3], scalars: [1, 9, 9, -1, -5, -2])
    XCTAssertEqual(y.argmax(axis: 1).scalars, [1, 0])  // first maximum wins ties
    XCTAssertEqual(Tensor<Float>(repeating: 1, shape: [4, 2, 3]).sum(toShape: [2, 1]).scalars, [12, 12])
  }

  func testSoftmaxIsStable() {
    let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
    let s = x.softmax(axis: 1)
    let e = [exp(-2.0), exp(-1.0), 1.0]
    for k in 0..<3 { XCTAssertEqual(Double(s[0, k]), e[k] / e.reduce(0, +), accuracy: 1e-6) }
    for k in 0..<3 { XCTAssertEqual(s[1, k], 1.0 / 3, accuracy: 1e-6) }
    let ls = x.logSoftmax(axis: 1)
    XCTAssertEqual(ls[1, 0], -log(3), accuracy: 1e-5)
    XCTAssertTrue(ls.isFinite)
    XCTAssertEqual(x.softmax(axis: 0)[0, 0], 0, accuracy: 1e-30)
  }

  func testMatmulAgainstNaive() {
    var rng = RandomStream(seed: 1)
    let a = Tensor<Float>.normal([5, 7], rng: &rng), b = Tensor<Float>.normal([7, 3], rng: &rng)
    let c = Tensor.matmul(a, b)
    for i in 0..<5 {
      for j in 0..<3 {
        let r = (0..<7).reduce(0.0) { $0 + Double(a[i, $1]) * Double(b[$1, j]) }
        XCTAssertEqual(Double(c[i, j]), r, accuracy: 1e-5)
      }
    }
    XCTAssertLessThan(maxAbsDiff(Tensor.matmul(a.t, b, transposeA: true), c), 1e-6)
    XCTAssertLessThan(maxAbsDiff(Tensor.matmul(a, b.t, transposeB: true), c), 1e-6)
  }

  func testMovement() {
    let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(x.t.scalars, [1, 4, 2, 5, 3, 6])
    let y = Tensor<Float>(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    let p = y.transposed([2, 0, 1])
    XCTAssertEqual(p.shape, [4, 2, 3])
    XCTAssertEqual(p[3, 1, 2], y[1, 2, 3])
    let c = Tensor.concat([x, Tensor(shape: [2, 1], scalars: [7, 8])], axis: 1)
    XCTAssertEqual(c.scalars, [1, 2, 3, 7, 4, 5, 6, 8])
    let parts = c.split(sizes: [3, 1], axis: 1)
    XCTAssertEqual(parts[0], x)
    XCTAssertEqual(Tensor.concat([x, x], axis: 0).shape, [4, 3])
    XCTAssertEqual(x.slice([1..<2, 0..<3]).scalars, [4, 5, 6])
    let padded = x.padded([(1, 0), (0, 2)], value: -1)
    XCTAssertEqual(padded.shape, [3, 5])
    XCTAssertEqual(padded.scalars, [-1, -1, -1, -1, -1, 1, 2, 3, -1, -1, 4, 5, 6, -1, -1])
    XCTAssertEqual(x.reshaped([3, -1]).shape, [3, 2])
    // integer tensors share the movement ops
    let q = Tensor<UInt8>(shape: [2, 2], scalars: [1, 2, 3, 4])
    XCTAssertEqual(q.t.scalars, [1, 3, 2, 4])
    XCTAssertEqual(Tensor<Int8>(zeros: [2]).padded([(1, 1)], value: 5).scalars, [5, 0, 0, 5])
    XCTAssertEqual(q.map { Float($0) / 2 }.scalars, [0.5, 1, 1.5, 2])
  }

  /// `slice` copies contiguous runs; every pattern of whole and partial axes must select what
  /// indexing element by element selects (and the rank-0 and empty cases must work).
  func testSliceMatchesElementwiseIndexing() {
    let shape = [3, 4, 5, 6]
    let x = Tensor<Float>(shape: shape, scalars: (0..<shape.product).map(Float.init))
    let choices: [[Range<Int>]] = [[0..<3, 1..<3], [0..<4, 2..<3], [0..<5, 1..<5], [0..<6, 3..<6, 0..<0]]
    var patterns: [[Range<Int>]] = [[]]
    for axis in choices { patterns = patterns.flatMap { p in axis.map { p + [$0] } } }
    for ranges in patterns {
      let s = x.slice(ranges)
      XCTAssertEqual(s.shape, ranges.map(\.count), "\(ranges)")
      var expected: [Float] = []
      for a in ranges[0] {
        for b in ranges[1] { for c in ranges[2] { for d in ranges[3] { expected.append(x[a, b, c, d]) } } }
      }
      XCTAssertEqual(s.scalars, expected, "\(ranges)")
    }
    XCTAssertEqual(Tensor<Float>(shape: [], scalars: [7]).slice([]).scalars, [7])
    XCTAssertEqual(Tensor<UInt8>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).slice([0..<2, 1..<2]).scalars, [2, 5])
  }

  func testValueSemantics() {
    let a = Tensor<Float>(zeros: [3])
    var b = a
    b[1] = 5
    XCTAssertEqual(a.scalars, [0, 0, 0])
    XCTAssertEqual(b.scalars, [0, 5, 0])
  }
}
