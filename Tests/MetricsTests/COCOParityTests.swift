import Foundation
import XCTest

@testable import Metrics

/// Randomised parity with pycocotools' COCOeval (bbox, area "all", maxDets 100).
final class COCOParityTests: XCTestCase {
  /// pycocotools: stats[0], stats[1] and per-category, per-threshold AP (-1 when absent).
  static let script = """
    import json, sys, io, contextlib
    import numpy as np
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(sys.argv[1])
        dt = gt.loadRes(sys.argv[2])
        E = COCOeval(gt, dt, 'bbox')
        E.evaluate(); E.accumulate(); E.summarize()
    p = E.eval['precision'][:, :, :, 0, 2]   # T x R x K, area all, maxDets 100
    per = [[float(np.mean(p[t, :, k])) if p[t, 0, k] > -1 else -1.0
            for t in range(p.shape[0])] for k in range(p.shape[2])]
    print(json.dumps({"map": float(E.stats[0]), "map50": float(E.stats[1]),
                      "map75": float(E.stats[2]), "perCategory": per}))
    """

  struct Reference: Decodable {
    var map: Double
    var map50: Double
    var map75: Double
    var perCategory: [[Double]]
  }

  /// A random COCO problem with ties, crowds, exact-threshold IoUs and crowded images.
  static func randomProblem(
    seed: UInt64, integerBoxes: Bool, imageRange: ClosedRange<Int> = 8...20
  ) -> (COCOGroundTruth, [COCOResult]) {
    var rng = SplitMix64(seed: seed)
    let imageCount = Int.random(in: imageRange, using: &rng)
    let categoryCount = Int.random(in: 2...5, using: &rng)
    let images = (0..<imageCount).map { COCOImage(id: 3 * $0 + 1) }
    let categories = (0..<categoryCount).map { COCOCategory(id: 10 + 2 * $0, name: "c\($0)") }
    func randomBox() -> [Double] {
      if integerBoxes {
        // Rarely a box over 1e10 px² (outside COCO's area range "all"); widths may be 0.
        if Int.random(in: 0..<40, using: &rng) == 0 { return [0, 0, 2e5, 1e5] }
        return [
          Double(Int.random(in: 0...8, using: &rng)), Double(Int.random(in: 0...8, using: &rng)),
          Double(Int.random(in: 0...6, using: &rng)), Double(Int.random(in: 1...6, using: &rng)),
        ]
      }
      return [
        Double.random(in: 0...50, using: &rng), Double.random(in: 0...50, using: &rng),
        Double.random(in: 1...30, using: &rng), Double.random(in: 1...30, using: &rng),
      ]
    }
    var annotations: [COCOAnnotation] = []
    var nextId = 0  // id 0 exercises COCOeval's id-0 quirk
    for image in images.dropLast(2) {  // last two images have no ground truth
      for _ in 0..<Int.random(in: 0...6, using: &rng) {
        let c = categories[Int.random(in: 0..<(categoryCount - 1), using: &rng)]  // last: no GT
        let box = randomBox()
        let crowd = Int.random(in: 0..<8, using: &rng) == 0
        let area = Bool.random(using: &rng) ? box[2] * box[3] : box[2] * box[3] * 0.7
        annotations.append(
          COCOAnnotation(
            id: nextId, imageId: image.id, categoryId: c.id, bbox: box, area: area, iscrowd: crowd))
        nextId += 1
      }
    }
    var results: [COCOResult] = []
    let byImageAndCategory = Dictionary(grouping: annotations) { [$0.imageId, $0.categoryId] }
    for image in images {
      let crowded = Int.random(in: 0..<6, using: &rng) == 0
      let count =
        crowded ? Int.random(in: 100...130, using: &rng) : Int.random(in: 0...12, using: &rng)
      let c0 = categories[Int.random(in: 0..<categoryCount, using: &rng)]
      for _ in 0..<count {
        let c = crowded ? c0 : categories[Int.random(in: 0..<categoryCount, using: &rng)]
        // Coarse scores make ties common; jittered copies of GT boxes give real matches.
        let score = Double(Int.random(in: 1...20, using: &rng)) / 20
        var box = randomBox()
        let sameImage = byImageAndCategory[[image.id, c.id]] ?? []
        if let gt = sameImage.randomElement(using: &rng), Bool.random(using: &rng) {
          box = gt.bbox
          if !integerBoxes { box = box.map { $0 + Double.random(in: -2...2, using: &rng) } }
          // IoU exactly 0.5 (double width) or 0.75 (width 3 → 4): threshold edge cases.
          if integerBoxes && Bool.random(using: &rng) { box[2] = box[2] == 3 ? 4 : 2 * box[2] }
          box[2] = max(box[2], 0.5)
          box[3] = max(box[3], 0.5)
        }
        results.append(COCOResult(imageId: image.id, categoryId: c.id, bbox: box, score: score))
      }
    }
    return (
      COCOGroundTruth(
        images: images.shuffled(using: &rng), annotations: annotations, categories: categories),
      results
    )
  }

  func testRandomisedParityWithPycocotools() throws {
    for seed in UInt64(1)...10 {
      // Seeds 9 and 10 are larger (120–160 images) to exercise accumulation across images.
      let (gt, preds) = Self.randomProblem(
        seed: seed, integerBoxes: seed % 2 == 0, imageRange: seed > 8 ? 120...160 : 8...20)
      let gtData = try JSONEncoder().encode(gt)
      let predData = try JSONEncoder().encode(preds)
      let reference = try PythonReference.evaluate(
        Reference.self, modules: ["pycocotools", "numpy"], script: Self.script,
        inputs: [gtData, predData])
      // Decode the same bytes pycocotools read, to cover the parser too.
      let report = try DetectionEvaluator.evaluate(
        gt: try COCOGroundTruth.decode(from: gtData),
        preds: try COCOResult.decodeList(from: predData),
        definition: .coco101)
      XCTAssertEqual(report.definition, .coco101)
      assertClose(report.map, reference.map, accuracy: 1e-9, "mAP@[.5:.95], seed \(seed)")
      assertClose(report.map50, reference.map50, accuracy: 1e-9, "mAP@0.5, seed \(seed)")
      assertClose(report.map75, reference.map75, accuracy: 1e-9, "mAP@0.75, seed \(seed)")
      XCTAssertEqual(report.categories.count, reference.perCategory.count)
      for (category, expected) in zip(report.categories, reference.perCategory) {
        if expected.allSatisfy({ $0 == -1 }) {
          XCTAssertNil(category.ap, "category \(category.id), seed \(seed)")
        } else if let ap = category.ap {
          for (a, e) in zip(ap, expected) {
            XCTAssertEqual(a, e, accuracy: 1e-9, "category \(category.id), seed \(seed)")
          }
        } else {
          XCTFail("category \(category.id) has no AP but pycocotools gives \(expected)")
        }
      }
    }
  }
}
