import Foundation
import Geometry
import XCTest

@testable import Metrics

final class YOLOHeadTests: XCTestCase {
  /// One anchor, 2 classes, a 2×2 grid on a 64×32 input (strides 32 and 16).
  func testDecodesOneCellByHand() throws {
    let head = YOLOHead(
      anchors: [Anchor(width: 8, height: 4)], anchorUnit: .pixels, classCount: 2, inputWidth: 64,
      inputHeight: 32)
    // Channels tx, ty, tw, th, obj, c0, c1; each a 2×2 plane (row-major).
    var output = [Float](repeating: -20, count: 7 * 4)  // objectness ≈ 0 everywhere
    let cell = 1 * 2 + 1  // row 1, column 1
    output[0 * 4 + cell] = 0  // σ = 0.5
    output[1 * 4 + cell] = 0
    output[2 * 4 + cell] = log(2)  // width 8·2 = 16
    output[3 * 4 + cell] = 0  // height 4
    output[4 * 4 + cell] = 20  // σ ≈ 1
    output[5 * 4 + cell] = 0  // class 0: 0.5
    output[6 * 4 + cell] = log(3)  // class 1: σ = 0.75
    let decoded = try head.decode(
      output, batch: 1, gridHeight: 2, gridWidth: 2, confidenceThreshold: 0.25)
    XCTAssertEqual(decoded.count, 1)
    XCTAssertEqual(decoded[0].count, 1)
    let d = decoded[0][0]
    // centre ((0.5 + 1)·32, (0.5 + 1)·16) = (48, 24)
    XCTAssertEqual(d.classIndex, 1)
    XCTAssertEqual(d.score, 0.75, accuracy: 1e-6)
    XCTAssertEqual(d.x1, 40, accuracy: 1e-4)
    XCTAssertEqual(d.x2, 56, accuracy: 1e-4)
    XCTAssertEqual(d.y1, 22, accuracy: 1e-4)
    XCTAssertEqual(d.y2, 26, accuracy: 1e-4)
    let multi = try head.decode(
      output, batch: 1, gridHeight: 2, gridWidth: 2, confidenceThreshold: 0.25, multiLabel: true)
    XCTAssertEqual(multi[0].map(\.classIndex), [0, 1])
    // Grid-unit anchors are scaled by the stride: width 8·32·2, height 4·16.
    let grid = YOLOHead(
      anchors: [Anchor(width: 8, height: 4)], anchorUnit: .gridCells, classCount: 2, inputWidth: 64,
      inputHeight: 32, classActivation: .softmax)
    let g = try grid.decode(
      output, batch: 1, gridHeight: 2, gridWidth: 2, confidenceThreshold: 0.25)[0][0]
    XCTAssertEqual(g.x2 - g.x1, 512, accuracy: 1e-3)
    XCTAssertEqual(g.y2 - g.y1, 64, accuracy: 1e-3)
    XCTAssertEqual(g.score, 0.75, accuracy: 1e-6)  // softmax(0, log 3) = (0.25, 0.75)
  }

  func testRejectsWrongBufferSize() {
    let head = YOLOHead(
      anchors: [Anchor(width: 1, height: 1)], anchorUnit: .pixels, classCount: 1, inputWidth: 8,
      inputHeight: 8)
    XCTAssertThrowsError(
      try head.decode([0, 0, 0], batch: 1, gridHeight: 1, gridWidth: 1, confidenceThreshold: 0.5)
    ) {
      XCTAssertEqual(
        "\($0)", "YOLO head buffer has 3 values but shape [1, 6, 1, 1] (N, A·(5+C), H, W) needs 6.")
    }
  }

  /// Two heads predicting the same object: NMS across heads keeps the stronger box.
  func testPostprocessMergesHeadsAndSuppresses() throws {
    func head() -> YOLOHead {
      YOLOHead(
        anchors: [Anchor(width: 16, height: 16)], anchorUnit: .pixels, classCount: 1, inputWidth: 32,
        inputHeight: 32)
    }
    // Coarse head (1×1, stride 32): box centred at (16, 16), 16×16, score σ(2)·σ(10).
    let coarse = YOLOHeadOutput(
      head: head(), values: [0, 0, 0, 0, 2, 10], gridHeight: 1, gridWidth: 1)
    // Fine head (2×2, stride 16): cell (0, 0) with σ(tx) = σ(ty) = 1 → centre (16, 16), score
    // σ(3)·σ(10); the other cells have objectness ≈ 0.
    var fine = [Float](repeating: -20, count: 6 * 4)
    for j in [0, 1] { fine[j * 4] = 30 }  // σ(30) ≈ 1
    fine[2 * 4] = 0
    fine[3 * 4] = 0
    fine[4 * 4] = 3
    fine[5 * 4] = 10
    let out = try YOLOPostprocess.detect(
      [coarse, YOLOHeadOutput(head: head(), values: fine, gridHeight: 2, gridWidth: 2)],
      batch: 1, confidenceThreshold: 0.5, iouThreshold: 0.45)
    XCTAssertEqual(out.count, 1)
    XCTAssertEqual(out[0].count, 1)
    let sigmoid3 = 1 / (1 + exp(Float(-3))), sigmoid10 = 1 / (1 + exp(Float(-10)))
    XCTAssertEqual(out[0][0].score, sigmoid3 * sigmoid10, accuracy: 1e-6)
    XCTAssertEqual(out[0][0].x1, 8, accuracy: 1e-3)
    XCTAssertEqual(out[0][0].x2, 24, accuracy: 1e-3)
  }

  /// Decoding through the shared `YOLODecoder` reproduces, bit for bit, the arithmetic the head
  /// used before (σ = 1 / (1 + e^−x), centre (σ + cell)·stride, size (anchor·scale)·e^t), so
  /// evaluation results do not change; every cell of a random 2-anchor, 2-class head, both units.
  func testDecodingIsBitIdenticalToTheDirectFormula() throws {
    let (gh, gw, classes) = (3, 5, 2)
    let anchors = [Anchor(width: 10.14, height: 13.3), Anchor(width: 2.5, height: 3)]
    var state: UInt64 = 12345
    let values = (0..<(2 * (5 + classes) * gh * gw)).map { _ -> Float in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int(state >> 40) % 2000 - 1000) / 90  // −11.1 … 11.1
    }
    for unit in [YOLOHead.AnchorUnit.pixels, .gridCells] {
      let head = YOLOHead(anchors: anchors, anchorUnit: unit, classCount: classes, inputWidth: 80, inputHeight: 45)
      let out = try head.decode(
        values, batch: 1, gridHeight: gh, gridWidth: gw, confidenceThreshold: 0, multiLabel: true)[0]
      XCTAssertEqual(out.count, 2 * gh * gw * classes)
      var expected: [DecodedDetection] = []
      let (sx, sy) = (Float(80) / Float(gw), Float(45) / Float(gh))
      func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
      for (a, anchor) in anchors.enumerated() {
        for cy in 0..<gh {
          for cx in 0..<gw {
            func v(_ j: Int) -> Float { values[(a * (5 + classes) + j) * gh * gw + cy * gw + cx] }
            let x = (sigmoid(v(0)) + Float(cx)) * sx, y = (sigmoid(v(1)) + Float(cy)) * sy
            let scale: (Float, Float) = unit == .pixels ? (1, 1) : (sx, sy)
            let w = Float(anchor.width) * scale.0 * exp(v(2)), h = Float(anchor.height) * scale.1 * exp(v(3))
            for c in 0..<classes {
              expected.append(
                DecodedDetection(
                  x1: x - w / 2, y1: y - h / 2, x2: x + w / 2, y2: y + h / 2,
                  score: sigmoid(v(4)) * sigmoid(v(5 + c)), classIndex: c))
            }
          }
        }
      }
      XCTAssertEqual(
        out.map { [$0.x1, $0.y1, $0.x2, $0.y2, $0.score].map(\.bitPattern) },
        expected.map { [$0.x1, $0.y1, $0.x2, $0.y2, $0.score].map(\.bitPattern) }, "\(unit)")
    }
  }
}
