import Geometry
import TestSupport
import XCTest

@testable import Training

/// YOLO loss on a 2×2 grid with 2 anchors and 2 classes (input 64×64). Predictions are the
/// exact rationals ((37 i mod 19) − 9) / 10, so numpy reproduces them; the reference values
/// below were computed with float64 numpy from the formulas in `YOLOLoss`'s documentation.
final class YOLOLossTests: XCTestCase {
  let prediction = Tensor<Float>(shape: [1, 14, 2, 2], generating: { i in Float((i * 37) % 19 - 9) / 10 })
  let targets = [
    [
      Box(classIndex: 1, cx: 0.3, cy: 0.7, w: 0.25, h: 0.3),
      Box(classIndex: 0, cx: 0.8, cy: 0.2, w: 0.5, h: 0.75),
    ]
  ]
  let anchors = [Anchor(width: 16, height: 16), Anchor(width: 32, height: 48)]

  func makeLoss() -> YOLOLoss { YOLOLoss(anchors: anchors, classCount: 2, inputWidth: 64, inputHeight: 64) }

  func testAssignment() {
    // Object 0 is 16×19.2 px: anchor 0 (IoU 0.83) at cell (0, 1); object 1 is 32×48: anchor 1 at (1, 0).
    let a = YOLOAssignment(
      targets: targets, anchors: anchors, gridWidth: 2, gridHeight: 2, inputWidth: 64, inputHeight: 64)
    XCTAssertEqual(a.matches.map(\.anchor), [0, 1])
    XCTAssertEqual(a.matches.map { [$0.gx, $0.gy] }, [[0, 1], [1, 0]])
    XCTAssertEqual(a.matches.map(\.row), [2, 5])
    // A duplicate claim on the same cell and anchor is dropped.
    let dup = YOLOAssignment(
      targets: [[targets[0][0], targets[0][0]]], anchors: anchors, gridWidth: 2, gridHeight: 2, inputWidth: 64,
      inputHeight: 64)
    XCTAssertEqual(dup.matches.count, 1)
  }

  func testHandComputedTermsGIoUBCEAndCE() {
    let terms = makeLoss()(Variable(prediction), targets: targets)
    let s = terms.scalars
    XCTAssertEqual(s["box"] ?? 0, 0.87545788, accuracy: 2e-6)
    XCTAssertEqual(s["objectness"] ?? 0, 0.67035432, accuracy: 2e-6)
    XCTAssertEqual(s["class"] ?? 0, 0.71301525, accuracy: 2e-6)
    XCTAssertEqual(s["loss"] ?? 0, 0.87545788 + 0.67035432 + 0.71301525, accuracy: 5e-6)
  }

  func testHandComputedAlternativeTermsAndWeights() {
    var loss = makeLoss()
    loss.box = .mseOffsets
    loss.objectness = .focal(gamma: 2, alpha: 0.25)
    loss.classification = .binary(.bce)
    loss.boxWeight = 2
    loss.classWeight = 0.5
    let s = loss(Variable(prediction), targets: targets).scalars
    XCTAssertEqual(s["box"] ?? 0, 2 * 0.76333616, accuracy: 5e-6)
    XCTAssertEqual(s["objectness"] ?? 0, 0.10507760, accuracy: 2e-6)
    XCTAssertEqual(s["class"] ?? 0, 0.5 * 1.43800747, accuracy: 2e-6)
  }

  func testNoObjectsGivesOnlyObjectnessTerm() {
    let s = makeLoss()(Variable(prediction), targets: [[]]).scalars
    XCTAssertEqual(s["box"], 0)
    XCTAssertEqual(s["class"], 0)
    XCTAssertGreaterThan(s["objectness"] ?? 0, 0)
  }

  func testIgnoreThresholdRemovesOverlappingBackground() {
    var loss = makeLoss()
    // A huge object covers every decoded box well: all unassigned predictions are ignored.
    let big = [[Box(classIndex: 0, cx: 0.5, cy: 0.5, w: 1, h: 1)]]
    loss.ignoreThreshold = 0.0
    let ignored = loss(Variable(prediction), targets: big).scalars["objectness"] ?? 0
    loss.ignoreThreshold = nil
    let all = loss(Variable(prediction), targets: big).scalars["objectness"] ?? 0
    XCTAssertLessThan(ignored, all)
    XCTAssertGreaterThan(ignored, 0)  // the assigned prediction still counts
  }

  func testGradients() {
    for (box, obj, cls) in [
      (YOLOLoss.BoxTerm.giou, YOLOLoss.BinaryTerm.bce, YOLOLoss.ClassTerm.crossEntropy),
      (.mseOffsets, .focal(gamma: 2, alpha: 0.25), .binary(.focal(gamma: 2, alpha: nil))),
      (.diou, .bce, .binary(.bce)),
    ] {
      var loss = makeLoss()
      (loss.box, loss.objectness, loss.classification) = (box, obj, cls)
      GradientChecker.check("yolo \(box) \(obj) \(cls)", [prediction]) { loss($0[0], targets: self.targets).total }
    }
  }

  /// The shared decoder must reproduce, bit for bit, the arithmetic the loss used before it was
  /// shared (σ as `Tensor.sigmoid`, `LibM.exp`, division by the grid and input), so trained
  /// weights do not change; checked on many random raw outputs, including large negative ones.
  func testDecoderReproducesTheLossArithmeticBitForBit() {
    let loss = makeLoss()
    let (gw, gh) = (7, 5)
    let decoder = loss.decoder(gridWidth: gw, gridHeight: gh)
    let raw = GradientChecker.random([4000], seed: 31, low: -12, high: 6).scalars
    for i in stride(from: 0, to: raw.count, by: 4) {
      let (a, gx, gy) = (i % anchors.count, i % gw, (i / 7) % gh)
      let box = decoder.normalisedBox(
        tx: raw[i], ty: raw[i + 1], tw: raw[i + 2], th: raw[i + 3], anchor: a, gx: gx, gy: gy)
      let cx = (Tensor.sigmoid(raw[i]) + Float(gx)) / Float(gw),
        cy = (Tensor.sigmoid(raw[i + 1]) + Float(gy)) / Float(gh)
      let w = Float(anchors[a].width) * LibM.exp(raw[i + 2]) / 64,
        h = Float(anchors[a].height) * LibM.exp(raw[i + 3]) / 64
      XCTAssertEqual(
        [box.cx, box.cy, box.w, box.h].map(\.bitPattern), [cx, cy, w, h].map(\.bitPattern), "row \(i / 4)")
    }
    XCTAssertEqual(decoder.inverseGrid.x.bitPattern, (1 / Float(gw)).bitPattern)
    XCTAssertEqual(decoder.anchorFraction(1).y.bitPattern, (Float(48) / 64).bitPattern)
  }

  func testGatherRowsGradientAccumulatesRepeats() {
    GradientChecker.check("gatherRows", [GradientChecker.random([4, 3], seed: 15)]) { v in
      (v[0].gatherRows([2, 0, 2]) * Variable(GradientChecker.random([3, 3], seed: 16))).sum()
    }
  }

  func testMultiAnchorAssignment() {
    // Object 0 (16×19.2 px) has shape IoU 0.833 with anchor 0 and 307.2 / 1536 = 0.2 with
    // anchor 1; object 1 (32×48 px) has 1 with anchor 1 and 256 / 1536 = 0.167 with anchor 0.
    // Above 0.19, object 0 is also assigned to anchor 1 (row ((0·2 + 1)·2 + 1)·2 + 0 = 6), after
    // its best anchor; object 1 keeps only its best.
    func assign(_ threshold: Float?) -> YOLOAssignment {
      YOLOAssignment(
        targets: targets, anchors: anchors, gridWidth: 2, gridHeight: 2, inputWidth: 64, inputHeight: 64,
        anchorThreshold: threshold)
    }
    XCTAssertEqual(assign(0.19).matches.map(\.row), [2, 6, 5])
    XCTAssertEqual(assign(0.19).matches.map(\.anchor), [0, 1, 1])
    XCTAssertEqual(assign(0.21).matches.map(\.row), [2, 5])
    XCTAssertEqual(assign(0.15).matches.map(\.row), [2, 6, 5, 1])  // object 1 at anchor 0 too: ((0·2 + 0)·2 + 0)·2 + 1
    XCTAssertEqual(YOLOAssignment.shapeIoU(width: 16, height: 19.2, anchors[1]), 0.2, accuracy: 1e-7)
    // The loss uses the threshold: its box term is the mean over the three matches.
    var loss = makeLoss()
    loss.anchorThreshold = 0.19
    let three = loss(Variable(prediction), targets: targets).scalars["box"] ?? 0
    let single = makeLoss()(Variable(prediction), targets: targets).scalars["box"] ?? 0
    XCTAssertNotEqual(three, single)
  }
}

/// Several heads: each object goes to the head owning its best anchor overall.
final class YOLODetectionLossTests: XCTestCase {
  func testObjectsGoToTheHeadOfTheirBestAnchor() {
    func head(_ anchors: [Anchor]) -> YOLOLoss {
      YOLOLoss(anchors: anchors, classCount: 2, inputWidth: 64, inputHeight: 64)
    }
    let small = head([Anchor(width: 8, height: 8)]), large = head([Anchor(width: 40, height: 40)])
    let loss = YOLODetectionLoss(heads: [large, small])
    let p32 = Variable(GradientChecker.random([1, 7, 2, 2], seed: 20)),
      p16 = Variable(GradientChecker.random([1, 7, 4, 4], seed: 21))
    let targets = [
      [
        Box(classIndex: 0, cx: 0.3, cy: 0.3, w: 0.6, h: 0.6),  // 38 px → large head
        Box(classIndex: 1, cx: 0.7, cy: 0.6, w: 0.1, h: 0.15),
      ]
    ]  // 6×10 px → small head
    let combined = loss([p32, p16], targets: targets).scalars
    let expectedLarge = large(p32, targets: [[targets[0][0]]]).scalars
    let expectedSmall = small(p16, targets: [[targets[0][1]]]).scalars
    for term in ["box", "objectness", "class", "loss"] {
      XCTAssertEqual(
        combined[term] ?? -1, (expectedLarge[term] ?? 0) + (expectedSmall[term] ?? 0), accuracy: 1e-6, term)
    }
  }

  func testMultiAnchorAssignmentReachesTheOtherHead() {
    // A 24×24 px object: shape IoU 576 / 1600 = 0.36 with the large head's 40×40 anchor (its
    // best) and 144 / 576 = 0.25 with the small head's 12×12 anchor, so above 0.2 both heads
    // assign it, above 0.3 only the large one.
    func head(_ anchors: [Anchor]) -> YOLOLoss {
      var l = YOLOLoss(anchors: anchors, classCount: 2, inputWidth: 64, inputHeight: 64)
      l.anchorThreshold = 0.2
      return l
    }
    let small = head([Anchor(width: 12, height: 12)]), large = head([Anchor(width: 40, height: 40)])
    let loss = YOLODetectionLoss(heads: [large, small])
    let p32 = Variable(GradientChecker.random([1, 7, 2, 2], seed: 22)),
      p16 = Variable(GradientChecker.random([1, 7, 4, 4], seed: 23))
    let object = Box(classIndex: 1, cx: 0.4, cy: 0.6, w: 0.375, h: 0.375)  // 24×24 px
    let combined = loss([p32, p16], targets: [[object]]).scalars
    let expected = [large(p32, targets: [[object]]).scalars, small(p16, targets: [[object]]).scalars]
    for term in ["box", "objectness", "class"] {
      XCTAssertEqual(combined[term] ?? -1, (expected[0][term] ?? 0) + (expected[1][term] ?? 0), accuracy: 1e-6, term)
    }
    XCTAssertGreaterThan(expected[1]["box"] ?? 0, 0)  // the small head did see it
    var strict = loss
    strict.heads = strict.heads.map {
      var l = $0; l.anchorThreshold = 0.3; return l
    }
    let only = strict([p32, p16], targets: [[object]]).scalars
    var largeOnly = large; largeOnly.anchorThreshold = 0.3
    XCTAssertEqual(only["box"] ?? -1, largeOnly(p32, targets: [[object]]).scalars["box"] ?? 0, accuracy: 1e-6)
  }
}
