import Foundation
import Geometry
import XCTest

final class YOLODecoderTests: XCTestCase {
  /// A 4×2 grid on a 64×32 input (stride 16 both ways), anchor 16×8 px, by hand:
  /// tx = 0 → σ = 0.5, so centre x = (0.5 + 1) / 4 = 0.375 of the image (24 px);
  /// tw = ln 2 → e^tw = 2, so width = 16·2 / 64 = 0.5 of the image (32 px).
  func testDecodesOnePredictionByHand() {
    let decoder = YOLODecoder(
      anchors: [[16, 8]], gridWidth: 4, gridHeight: 2, inputWidth: 64, inputHeight: 32, logistic: .stable)
    let box = decoder.normalisedBox(tx: 0, ty: 0, tw: log(2), th: 0, anchor: 0, gx: 1, gy: 1)
    XCTAssertEqual(box.cx, 0.375)
    XCTAssertEqual(box.cy, 0.75)
    XCTAssertEqual(box.w, 0.5, accuracy: 1e-6)
    XCTAssertEqual(box.h, 0.25)
    let pixels = decoder.pixelBox(tx: 0, ty: 0, tw: log(2), th: 0, anchor: 0, gx: 1, gy: 1, anchorScale: (1, 1))
    XCTAssertEqual(pixels.x, 24)
    XCTAssertEqual(pixels.y, 24)
    XCTAssertEqual(pixels.w, 32, accuracy: 1e-4)
    XCTAssertEqual(pixels.h, 8)
    // Anchors in grid cells are scaled by the stride: 16 cells · 16 px.
    XCTAssertEqual(
      decoder.pixelBox(tx: 0, ty: 0, tw: 0, th: 0, anchor: 0, gx: 0, gy: 0, anchorScale: decoder.stride).w, 256)
    XCTAssertEqual(decoder.inverseGrid.x, 0.25)
    XCTAssertEqual(decoder.anchorFraction(0).y, 0.25)
  }

  /// Both logistic roundings are σ: equal for x ≥ 0, within an ulp of the Double value below 0,
  /// and the stable form does not underflow to 0 / NaN for very negative x.
  func testLogisticRoundings() {
    let stable = YOLODecoder(anchors: [], gridWidth: 1, gridHeight: 1, inputWidth: 1, inputHeight: 1, logistic: .stable)
    var direct = stable
    direct.logistic = .direct
    for x: Float in [0, 0.5, 3, 20] { XCTAssertEqual(stable.sigmoid(x), direct.sigmoid(x)) }
    for x: Float in [-0.3, -2, -7.5] {
      let exact = 1 / (1 + Foundation.exp(-Double(x)))
      XCTAssertEqual(Double(stable.sigmoid(x)), exact, accuracy: Double(Float(exact).ulp) * 1.5)
      XCTAssertEqual(Double(direct.sigmoid(x)), exact, accuracy: Double(Float(exact).ulp) * 1.5)
    }
    XCTAssertGreaterThan(stable.sigmoid(-100), 0)
    XCTAssertEqual(stable.sigmoid(-100), Float(Foundation.exp(-100.0)), accuracy: 2 * Float.leastNonzeroMagnitude)
  }
}
