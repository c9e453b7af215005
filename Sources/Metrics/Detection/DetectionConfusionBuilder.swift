/// Counts a confusion matrix with a background class, pairing boxes regardless of category.
///
/// Per image, detections with score ≥ `confidence` and non-ignored ground truth are paired
/// greedily by descending IoU (ties: lower ground-truth, then detection, index first) among
/// pairs with IoU ≥ `iouThreshold`, each box used once (the Ultralytics `ConfusionMatrix`
/// procedure). A pair counts at (truth class, predicted class); an unpaired ground truth at
/// (truth, background); an unpaired detection at (background, predicted) unless it overlaps a
/// crowd / ignored ground truth with IoU ≥ `iouThreshold` (then it is not counted).
struct DetectionConfusionBuilder {
  let data: DetectionDataset
  let iouThreshold: Double
  let confidence: Double

  func build() -> DetectionReport.ConfusionMatrix {
    let nCat = data.categories.count
    let nImg = data.imageIds.count
    let gtBuckets = BucketIndex(
      category: data.gtImage.map { _ in 0 }, image: data.gtImage, categoryCount: 1,
      imageCount: nImg)
    let dtBuckets = BucketIndex(
      category: data.dtImage.map { _ in 0 }, image: data.dtImage, categoryCount: 1,
      imageCount: nImg)
    var counts = [[Int]](repeating: [Int](repeating: 0, count: nCat + 1), count: nCat + 1)
    var pairs: [(iou: Double, g: Int, d: Int)] = []
    for i in 0..<nImg {
      let gts = gtBuckets.bucket(category: 0, image: i).map { Int($0) }
      let dts = dtBuckets.bucket(category: 0, image: i).map { Int($0) }
        .filter { data.dtScore[$0] >= confidence }
      let positives = gts.filter { !data.gtCrowd[$0] && !data.gtIgnoreFlag[$0] }
      let ignored = gts.filter { data.gtCrowd[$0] || data.gtIgnoreFlag[$0] }
      pairs.removeAll(keepingCapacity: true)
      for (gn, g) in positives.enumerated() {
        for (dn, d) in dts.enumerated() {
          let iou = data.dtBox[d].iou(data.gtBox[g])
          if iou >= iouThreshold { pairs.append((iou, gn, dn)) }
        }
      }
      pairs.sort { a, b in
        a.iou > b.iou || (a.iou == b.iou && (a.g < b.g || (a.g == b.g && a.d < b.d)))
      }
      var gUsed = [Bool](repeating: false, count: positives.count)
      var dUsed = [Bool](repeating: false, count: dts.count)
      for pair in pairs where !gUsed[pair.g] && !dUsed[pair.d] {
        gUsed[pair.g] = true
        dUsed[pair.d] = true
        counts[Int(data.gtCategory[positives[pair.g]])][Int(data.dtCategory[dts[pair.d]])] += 1
      }
      for (gn, g) in positives.enumerated() where !gUsed[gn] {
        counts[Int(data.gtCategory[g])][nCat] += 1
      }
      for (dn, d) in dts.enumerated() where !dUsed[dn] {
        let onIgnored = ignored.contains {
          data.dtBox[d].iou(data.gtBox[$0], crowd: data.gtCrowd[$0]) >= iouThreshold
        }
        if !onIgnored { counts[nCat][Int(data.dtCategory[d])] += 1 }
      }
    }
    return .init(
      labels: data.categories.map(\.name) + ["background"], iouThreshold: iouThreshold,
      confidence: confidence, counts: counts)
  }
}
