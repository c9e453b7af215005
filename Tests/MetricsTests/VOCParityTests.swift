import Foundation
import XCTest

@testable import Metrics

/// Randomised cross-check of `voc07` / `voc-all` against a numpy transcription of the VOC
/// devkit's evaluation as ported in py-faster-rcnn / detectron2 `voc_eval` (inclusive-pixel
/// boxes with `+1`, difficult flags, strict `>`), with two stated adjustments: a stable sort on
/// ties, and 11-point thresholds `i / 10` (see `elevenPointAP`).
final class VOCParityTests: XCTestCase {
  struct Input: Codable {
    var categories: [Int]
    var thresholds: [Double]
    /// [imageId, categoryId, x1, y1, x2, y2, difficult] with inclusive pixel corners.
    var groundTruth: [[Double]]
    /// [imageId, categoryId, x1, y1, x2, y2, score], results-file order.
    var detections: [[Double]]
  }

  static let script = """
    import json, sys
    d = json.load(open(sys.argv[1]))
    def voc_ap(rec, prec, use_07):
        if use_07:
            ap = 0.0
            for t in [i / 10 for i in range(11)]:
                p = np.max(prec[rec >= t]) if np.sum(rec >= t) > 0 else 0.0
                ap = ap + p / 11.0
            return float(ap)
        mrec = np.concatenate(([0.0], rec, [1.0])); mpre = np.concatenate(([0.0], prec, [0.0]))
        for i in range(mpre.size - 1, 0, -1):
            mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
        i = np.where(mrec[1:] != mrec[:-1])[0]
        return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))
    gt = np.array(d["groundTruth"]).reshape(-1, 7); dt = np.array(d["detections"]).reshape(-1, 7)
    out = {"voc07": [], "vocAll": []}
    for c in d["categories"]:
        recs = {}
        for g in gt[gt[:, 1] == c]:
            r = recs.setdefault(g[0], {"bbox": [], "difficult": []})
            r["bbox"].append(g[2:6]); r["difficult"].append(bool(g[6]))
        npos = sum(sum(1 for x in r["difficult"] if not x) for r in recs.values())
        for r in recs.values():
            r["bbox"] = np.array(r["bbox"]); r["difficult"] = np.array(r["difficult"])
        per07, perAll = [], []
        for thr in d["thresholds"]:
            det = {k: [False] * len(r["difficult"]) for k, r in recs.items()}
            cd = dt[dt[:, 1] == c]
            order = np.argsort(-cd[:, 6], kind="stable")
            tp = np.zeros(len(order)); fp = np.zeros(len(order))
            for n, k in enumerate(order):
                img = cd[k, 0]; bb = cd[k, 2:6]; ovmax = -np.inf
                if img in recs:
                    BBGT = recs[img]["bbox"]
                    iw = np.maximum(np.minimum(BBGT[:, 2], bb[2]) - np.maximum(BBGT[:, 0], bb[0]) + 1.0, 0.0)
                    ih = np.maximum(np.minimum(BBGT[:, 3], bb[3]) - np.maximum(BBGT[:, 1], bb[1]) + 1.0, 0.0)
                    inters = iw * ih
                    uni = ((bb[2] - bb[0] + 1.0) * (bb[3] - bb[1] + 1.0)
                           + (BBGT[:, 2] - BBGT[:, 0] + 1.0) * (BBGT[:, 3] - BBGT[:, 1] + 1.0) - inters)
                    ov = np.where(uni > 0, inters / np.where(uni > 0, uni, 1), 0.0)
                    ovmax = np.max(ov); jmax = int(np.argmax(ov))
                if ovmax > thr:
                    if not recs[img]["difficult"][jmax]:
                        if not det[img][jmax]:
                            tp[n] = 1.0; det[img][jmax] = True
                        else:
                            fp[n] = 1.0
                else:
                    fp[n] = 1.0
            if npos == 0:
                per07.append(-1.0); perAll.append(-1.0); continue
            fp = np.cumsum(fp); tp = np.cumsum(tp)
            rec = tp / float(npos); prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
            per07.append(voc_ap(rec, prec, True)); perAll.append(voc_ap(rec, prec, False))
        out["voc07"].append(per07); out["vocAll"].append(perAll)
    print(json.dumps(out))
    """

  struct Reference: Decodable {
    var voc07: [[Double]]
    var vocAll: [[Double]]
  }

  func testRandomisedParityWithDevkitTranscription() throws {
    for seed in UInt64(21)...26 {
      let (gt, preds) = COCOParityTests.randomProblem(seed: seed, integerBoxes: seed % 2 == 0)
      // Inclusive pixel corners: xmax = x + w − 1 (the devkit adds the 1 back).
      func corners(_ b: [Double]) -> [Double] { [b[0], b[1], b[0] + b[2] - 1, b[1] + b[3] - 1] }
      let input = Input(
        categories: gt.categories.map(\.id).sorted(), thresholds: [0.5, 0.75],
        groundTruth: gt.annotations.map {
          [Double($0.imageId), Double($0.categoryId)] + corners($0.bbox) + [$0.iscrowd ? 1 : 0]
        },
        detections: preds.map {
          [Double($0.imageId), Double($0.categoryId)] + corners($0.bbox) + [$0.score]
        })
      let reference = try PythonReference.evaluate(
        Reference.self, modules: ["numpy as np"], script: Self.script,
        inputs: [try JSONEncoder().encode(input)])
      for (definition, expected) in [
        (APDefinition.voc07, reference.voc07), (.vocAll, reference.vocAll),
      ] {
        let report = try DetectionEvaluator.evaluate(
          gt: gt, preds: preds, definition: definition, iouThresholds: [0.5, 0.75])
        for (category, values) in zip(report.categories, expected) {
          if values.allSatisfy({ $0 == -1 }) {
            XCTAssertNil(category.ap, "\(definition) category \(category.id) seed \(seed)")
            continue
          }
          let ap = try XCTUnwrap(category.ap, "\(definition) category \(category.id) seed \(seed)")
          XCTAssertEqual(
            ap, values, accuracy: 1e-9, "\(definition) category \(category.id) seed \(seed)")
        }
      }
    }
  }
}
