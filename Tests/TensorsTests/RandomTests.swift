import XCTest

@testable import Tensors

final class RandomTests: XCTestCase {
  /// Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
  func testPhiloxKnownAnswers() {
    let z = RandomStream.philox(counter: (0, 0, 0, 0), key: (0, 0))
    XCTAssertEqual([z.0, z.1, z.2, z.3], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
    let f = RandomStream.philox(counter: (.max, .max, .max, .max), key: (.max, .max))
    XCTAssertEqual([f.0, f.1, f.2, f.3], [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
    let p = RandomStream.philox(
      counter: (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0))
    XCTAssertEqual([p.0, p.1, p.2, p.3], [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
  }

  func testStreamsAreReproducibleAndIndependent() {
    var a = RandomStream(seed: 42).split("shuffle"), b = RandomStream(seed: 42).split("shuffle")
    var c = RandomStream(seed: 42).split("augment"), d = RandomStream(seed: 43).split("shuffle")
    let xa = (0..<8).map { _ in a.next() }
    XCTAssertEqual(xa, (0..<8).map { _ in b.next() })
    XCTAssertNotEqual(xa, (0..<8).map { _ in c.next() })
    XCTAssertNotEqual(xa, (0..<8).map { _ in d.next() })
    // a restored stream continues exactly where the saved one was
    let saved = a
    var restored = try! JSONDecoder().decode(RandomStream.self, from: JSONEncoder().encode(saved))
    XCTAssertEqual(restored.next(), a.next())
    XCTAssertNotEqual(RandomStream(seed: 1).split(index: 0).streamID, RandomStream(seed: 1).split(index: 1).streamID)
  }

  func testDistributions() {
    var r = RandomStream(seed: 3)
    let n = 20_000
    let u = (0..<n).map { _ in Double(r.nextFloat()) }
    XCTAssertEqual(u.reduce(0, +) / Double(n), 0.5, accuracy: 0.01)
    XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
    let g = (0..<n).map { _ in Double(r.nextNormal()) }
    let mean = g.reduce(0, +) / Double(n)
    let variance = g.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
    XCTAssertEqual(mean, 0, accuracy: 0.03)
    XCTAssertEqual(variance, 1, accuracy: 0.04)
    var counts = [Int](repeating: 0, count: 6)
    for _ in 0..<n { counts[r.nextInt(below: 6)] += 1 }
    XCTAssertTrue(counts.allSatisfy { abs($0 - n / 6) < 300 }, "\(counts)")
    let perm = r.permutation(100)
    XCTAssertEqual(perm.sorted(), Array(0..<100))
    XCTAssertNotEqual(perm, Array(0..<100))
    let bern = Tensor<Float>.bernoulli([n], p: 0.3, rng: &r)
    XCTAssertEqual(Double(bern.sum().scalar) / Double(n), 0.3, accuracy: 0.015)
  }

  func testInitialisersHaveTheirVariance() {
    var r = RandomStream(seed: 4)
    let w = Tensor<Float>.kaimingNormal([64, 32, 3, 3], rng: &r)  // fanIn 288 → var 2/288
    let v = Double(w.squared().mean().scalar)
    XCTAssertEqual(v, 2.0 / 288, accuracy: 0.1 * 2.0 / 288)
    let x = Tensor<Float>.xavierUniform([100, 50], rng: &r)  // bound √(6/150) = 0.2
    XCTAssertLessThanOrEqual(x.abs().max().scalar, 0.2)
    XCTAssertGreaterThan(x.abs().max().scalar, 0.19)
    let k = Tensor<Float>.kaimingUniform([10, 27], rng: &r)
    XCTAssertLessThanOrEqual(k.abs().max().scalar, Float(2.0.squareRoot() * (3.0 / 27).squareRoot()))
  }
}
