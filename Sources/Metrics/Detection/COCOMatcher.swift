/// COCOeval's matching for boxes (area range "all"), reproduced step by step.
///
/// Source: cocodataset/cocoapi `PythonAPI/pycocotools/cocoeval.py` (`evaluateImg`,
/// `accumulate`) and `common/maskApi.c` (`bbIou`). Per image and category:
/// 1. ground truth is ordered non-ignored first (stable); a ground truth is ignored when it
///    is `iscrowd` or its area is outside [0, 1e10] (`ignore` is overwritten by `iscrowd`);
/// 2. detections are sorted by descending score (stable, as numpy's mergesort) and cut to
///    `maxDetections`;
/// 3. at each IoU threshold `t`, each detection in turn takes the ground truth with the highest
///    IoU ≥ min(t, 1 − 1e−10) among those not yet matched (crowd ones stay available), later
///    ground truth winning ties; once a non-ignored match is found, ignored ones are not
///    considered. A detection matched to an ignored ground truth is ignored; an unmatched
///    detection whose area is outside the range is ignored too.
/// Then, per category, detections of all images are concatenated in image-id order and sorted
/// again by descending score (stable).
///
/// One quirk is kept for exactness: COCOeval records a match by the ground truth's `id`, so a
/// match to an annotation with id 0 is read back as "unmatched" (a false positive).
struct COCOMatcher {
  static let areaRange: ClosedRange<Double> = 0...1e10

  let data: DetectionDataset
  let thresholds: [Double]
  let maxDetections: Int?

  func match() -> [CategoryMatches] {
    let nImg = data.imageIds.count
    let nCat = data.categories.count
    let gtBuckets = BucketIndex(
      category: data.gtCategory, image: data.gtImage, categoryCount: nCat, imageCount: nImg)
    let dtBuckets = BucketIndex(
      category: data.dtCategory, image: data.dtImage, categoryCount: nCat, imageCount: nImg)
    let effective = thresholds.map { min($0, 1 - 1e-10) }
    var result: [CategoryMatches] = []
    result.reserveCapacity(nCat)
    var scratch = Scratch()
    for k in 0..<nCat {
      var scores: [Double] = []
      var outcomes = [[MatchOutcome]](repeating: [], count: thresholds.count)
      var positives = 0
      for i in 0..<nImg {
        let gts = gtBuckets.bucket(category: k, image: i)
        let dts = dtBuckets.bucket(category: k, image: i)
        if gts.isEmpty && dts.isEmpty { continue }
        positives += matchImage(
          gts: gts, dts: dts, thresholds: effective, scratch: &scratch,
          scores: &scores, outcomes: &outcomes)
      }
      result.append(sortedByScore(positives: positives, scores: scores, outcomes: outcomes))
    }
    return result
  }

  /// Reusable per-image buffers.
  struct Scratch {
    var gtOrder: [Int] = []
    var gtIgnore: [Bool] = []
    var dtOrder: [Int] = []
    var ious: [Double] = []
    var gtUsed: [Bool] = []
  }

  /// Matches one image and category; appends its detections and returns its positives count.
  private func matchImage(
    gts: ArraySlice<Int32>, dts: ArraySlice<Int32>, thresholds: [Double],
    scratch s: inout Scratch, scores: inout [Double], outcomes: inout [[MatchOutcome]]
  ) -> Int {
    // Ground truth: non-ignored first, stable.
    s.gtOrder.removeAll(keepingCapacity: true)
    s.gtIgnore.removeAll(keepingCapacity: true)
    var positives = 0
    for pass in 0..<2 {
      for g in gts {
        let g = Int(g)
        let ignored = data.gtCrowd[g] || !Self.areaRange.contains(data.gtArea[g])
        if ignored == (pass == 1) {
          s.gtOrder.append(g)
          s.gtIgnore.append(ignored)
          if !ignored { positives += 1 }
        }
      }
    }
    // Detections: descending score, ties in file order, at most maxDetections.
    s.dtOrder.removeAll(keepingCapacity: true)
    s.dtOrder.append(contentsOf: dts.lazy.map { Int($0) })
    let score = data.dtScore
    s.dtOrder.sort { score[$0] > score[$1] || (score[$0] == score[$1] && $0 < $1) }
    if let m = maxDetections, s.dtOrder.count > m { s.dtOrder.removeLast(s.dtOrder.count - m) }
    let nG = s.gtOrder.count
    // IoU matrix, detections × ground truth.
    s.ious.removeAll(keepingCapacity: true)
    for d in s.dtOrder {
      let box = data.dtBox[d]
      for g in s.gtOrder { s.ious.append(box.iou(data.gtBox[g], crowd: data.gtCrowd[g])) }
    }
    for t in thresholds.indices {
      s.gtUsed.removeAll(keepingCapacity: true)
      s.gtUsed.append(contentsOf: repeatElement(false, count: nG))
      for (dn, d) in s.dtOrder.enumerated() {
        var best = thresholds[t]
        var m = -1
        for gn in 0..<nG {
          let g = s.gtOrder[gn]
          if s.gtUsed[gn] && !data.gtCrowd[g] { continue }
          if m > -1 && !s.gtIgnore[m] && s.gtIgnore[gn] { break }
          let iou = s.ious[dn * nG + gn]
          if iou < best { continue }
          best = iou
          m = gn
        }
        let outsideArea = !Self.areaRange.contains(data.dtBox[d].area)
        let outcome: MatchOutcome
        if m == -1 {
          outcome = outsideArea ? .ignored : .falsePositive
        } else {
          s.gtUsed[m] = true
          if s.gtIgnore[m] {
            outcome = .ignored
          } else if data.gtId[s.gtOrder[m]] != 0 {
            outcome = .truePositive
          } else {
            outcome = outsideArea ? .ignored : .falsePositive  // the id-0 quirk
          }
        }
        outcomes[t].append(outcome)
      }
    }
    for d in s.dtOrder { scores.append(score[d]) }
    return positives
  }

  /// Re-sorts one category's concatenated detections by descending score, stably.
  private func sortedByScore(
    positives: Int, scores: [Double], outcomes: [[MatchOutcome]]
  ) -> CategoryMatches {
    var order = Array(scores.indices)
    order.sort { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    return CategoryMatches(
      positives: positives,
      scores: order.map { scores[$0] },
      outcomes: outcomes.map { row in order.map { row[$0] } })
  }
}
