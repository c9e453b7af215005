import Tensors
import XCTest

@testable import Quantization

/// The GEMM path of a KPU layer is bit-identical to the direct loops of `k210.md` §3.
final class K210FastLayerTests: XCTestCase {
  func testGEMMPathEqualsTheDirectLoopsOnRandomLayers() {
    var rng = RandomStream(seed: 21)
    // dense 1×1 and 3×3 (channel counts not multiples of 4, maps narrower than 16 columns),
    // depthwise 3×3, and zero points at both ends of the code range
    let cases: [(ic: Int, oc: Int, filter: Int, depthwise: Bool, h: Int, w: Int, input: ClosedRange<Float>)] = [
      (5, 7, 3, false, 9, 11, -1...1), (16, 9, 1, false, 4, 5, 0...6), (6, 6, 3, true, 8, 3, -2...0.5),
      (3, 17, 3, false, 20, 19, -0.2...3),
    ]
    for (n, c) in cases.enumerated() {
      let gic = c.depthwise ? 1 : c.ic
      let weight = Tensor<Float>.uniform([c.oc, gic, c.filter, c.filter], low: -0.7, high: 0.5, rng: &rng)
      let bias = Tensor<Float>.uniform([c.oc], low: -0.5, high: 0.5, rng: &rng)
      let r = K210Quantizer.quantize(
        weight: weight, bias: bias, depthwise: c.depthwise, inputRange: c.input, convOutputRange: -4...4,
        outputRange: -0.4...4, activation: .leakyRelu(alpha: 0.1))
      let input = (0..<(c.ic * c.h * c.w)).map { _ in UInt8(rng.nextInt(below: 256)) }
      XCTAssertEqual(
        r.layer.run(input, height: c.h, width: c.w), r.layer.runReference(input, height: c.h, width: c.w), "case \(n)")
    }
  }
}
