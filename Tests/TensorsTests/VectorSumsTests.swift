import XCTest

@testable import Tensors

/// The kernels' vectorised sums: below 16 elements they must be exactly the sequential sum from
/// +0 (what the vector path gives when no vector is loaded, −0.0 included); from 16 on, within
/// rounding of the sum in Double.
final class VectorSumsTests: XCTestCase {
  func testShortSumsAreTheSequentialSumsFromZero() {
    var rng = RandomStream(seed: 41)
    let x = Tensor<Float>.normal([64], rng: &rng).scalars, g = Tensor<Float>.normal([64], rng: &rng).scalars
    let (mean, slope, scale, shift): (Float, Float, Float, Float) = (0.3, 0.1, 1.7, -0.2)
    for n in 0..<16 {
      var s: Float = 0, sq: Float = 0, sg: Float = 0, sgx: Float = 0, ag: Float = 0, agx: Float = 0
      for i in 0..<n {
        s += x[i]
        let d = x[i] - mean
        sq += d * d
        sg += g[i]
        sgx += g[i] * (x[i] - mean)
        let gi = x[i] * scale + shift > 0 ? g[i] : slope * g[i]
        ag += gi
        agx += gi * (x[i] - mean)
      }
      x.withUnsafeBufferPointer { px in
        g.withUnsafeBufferPointer { pg in
          guard let px = px.baseAddress, let pg = pg.baseAddress else { return }
          XCTAssertEqual(VectorSums.sum(px, n).bitPattern, s.bitPattern, "n \(n)")
          XCTAssertEqual(VectorSums.squaredDeviations(px, n, mean: mean).bitPattern, sq.bitPattern, "n \(n)")
          let (a, b) = VectorSums.sumAndCenteredDot(pg, px, n, mean: mean)
          XCTAssertEqual([a.bitPattern, b.bitPattern], [sg.bitPattern, sgx.bitPattern], "n \(n)")
          let (c, d) = VectorSums.activatedSumAndCenteredDot(
            pg, px, n, mean: mean, slope: slope, scale: scale, shift: shift)
          XCTAssertEqual([c.bitPattern, d.bitPattern], [ag.bitPattern, agx.bitPattern], "n \(n)")
        }
      }
    }
    // −0.0 alone sums to +0.0, as 0 + (−0.0) does
    let negativeZero: [Float] = [-0.0]
    negativeZero.withUnsafeBufferPointer { p in
      XCTAssertEqual(p.baseAddress.map { VectorSums.sum($0, 1).bitPattern }, Float(0).bitPattern)
    }
  }

  func testLongSumsAgreeWithDouble() {
    var rng = RandomStream(seed: 42)
    let x = Tensor<Float>.normal([200], rng: &rng).scalars
    for n in [16, 17, 31, 32, 33, 48, 63, 64, 200] {
      let reference = x.prefix(n).reduce(0.0) { $0 + Double($1) }
      let squares = x.prefix(n).reduce(0.0) { $0 + (Double($1) - 0.5) * (Double($1) - 0.5) }
      x.withUnsafeBufferPointer { p in
        guard let p = p.baseAddress else { return }
        XCTAssertEqual(Double(VectorSums.sum(p, n)), reference, accuracy: 1e-5 * Double(n), "n \(n)")
        XCTAssertEqual(
          Double(VectorSums.squaredDeviations(p, n, mean: 0.5)), squares, accuracy: 1e-5 * squares, "n \(n)")
      }
    }
  }
}
