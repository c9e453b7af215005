/// The PASCAL VOC devkit's matching (`VOCevaldet.m`; py-faster-rcnn / detectron2 `voc_eval`).
///
/// Per category, all detections of the test set are sorted by descending confidence (stable,
/// ties in results-file order, as MATLAB's `sort`). Each detection takes the ground truth of its
/// image with the largest IoU (first one on ties, matched or not). If that IoU is strictly
/// greater than the threshold, the detection is ignored when the ground truth is "difficult",
/// a true positive when the ground truth is not yet detected, and a false positive (duplicate)
/// otherwise; below the threshold it is a false positive. Difficult ground truth is left out
/// of the recall denominator. Here "difficult" means `iscrowd` or `ignore` in the COCO file.
///
/// The devkit measures boxes in inclusive pixels (`+1`); with COCO widths counting pixels
/// (`w = xmax − xmin + 1`) that is the continuous IoU of `COCOBox.iou(_:crowd:)`. There is no
/// per-image detection limit unless `maxDetections` is set.
struct VOCMatcher {
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
    let score = data.dtScore
    var result: [CategoryMatches] = []
    // Per-threshold "detected" flags by ground-truth index (categories never share an index).
    var detected = [[Bool]](
      repeating: [Bool](repeating: false, count: data.groundTruthCount), count: thresholds.count)
    for k in 0..<nCat {
      // Detections of this category, optionally cut per image, then sorted globally.
      var dets: [Int] = []
      var positives = 0
      for i in 0..<nImg {
        for g in gtBuckets.bucket(category: k, image: i) where !isDifficult(Int(g)) {
          positives += 1
        }
        var local = dtBuckets.bucket(category: k, image: i).map { Int($0) }
        if let m = maxDetections, local.count > m {
          local.sort { score[$0] > score[$1] || (score[$0] == score[$1] && $0 < $1) }
          local.removeLast(local.count - m)
        }
        dets.append(contentsOf: local)
      }
      dets.sort { score[$0] > score[$1] || (score[$0] == score[$1] && $0 < $1) }
      var outcomes = [[MatchOutcome]](repeating: [], count: thresholds.count)
      for d in dets {
        var best = -Double.infinity
        var bestGT = -1
        for g in gtBuckets.bucket(category: k, image: Int(data.dtImage[d])) {
          let iou = data.dtBox[d].iou(data.gtBox[Int(g)])
          if iou > best {
            best = iou
            bestGT = Int(g)
          }
        }
        for t in thresholds.indices {
          let outcome: MatchOutcome
          if bestGT >= 0 && best > thresholds[t] {
            if isDifficult(bestGT) {
              outcome = .ignored
            } else if !detected[t][bestGT] {
              detected[t][bestGT] = true
              outcome = .truePositive
            } else {
              outcome = .falsePositive
            }
          } else {
            outcome = .falsePositive
          }
          outcomes[t].append(outcome)
        }
      }
      result.append(
        CategoryMatches(positives: positives, scores: dets.map { score[$0] }, outcomes: outcomes))
    }
    return result
  }

  private func isDifficult(_ g: Int) -> Bool { data.gtCrowd[g] || data.gtIgnoreFlag[g] }
}
