/// Builds precision, recall and F1 against a confidence grid (as Ultralytics plots them).
///
/// For a confidence c, a category's detections with score ≥ c are kept: precision is
/// TP / (TP + FP) (1 when nothing is kept, so that curves start at 1 on the right, as
/// Ultralytics' `left=1`), recall is TP / positives, F1 = 2PR / (P + R) (0 when both are 0).
/// Ignored detections count for neither. The macro curves average categories with positives.
/// The operating point is the grid confidence with the highest macro F1 (the lowest such
/// confidence on ties).
struct ConfidenceCurveBuilder {
  /// Grid points: `steps + 1` values `j / steps`.
  let steps: Int

  func build(
    matches: [CategoryMatches], threshold t: Int, iou: Double, categoryIds: [Int]
  ) -> (DetectionReport.ConfidenceCurves, DetectionReport.OperatingPoint) {
    let grid = (0...steps).map { Double($0) / Double(steps) }
    var perCategory: [DetectionReport.CategoryCurves] = []
    var meanP = [Double](repeating: 0, count: grid.count)
    var meanR = meanP
    var meanF = meanP
    for (k, m) in matches.enumerated() where m.positives > 0 {
      var p = [Double](repeating: 0, count: grid.count)
      var r = p
      var f = p
      // Walk grid from high to low confidence while consuming detections in score order.
      var tp = 0.0
      var fp = 0.0
      var n = 0
      for j in stride(from: grid.count - 1, through: 0, by: -1) {
        while n < m.scores.count && m.scores[n] >= grid[j] {
          switch m.outcomes[t][n] {
          case .truePositive: tp += 1
          case .falsePositive: fp += 1
          case .ignored: break
          }
          n += 1
        }
        p[j] = tp + fp > 0 ? tp / (tp + fp) : 1
        r[j] = tp / Double(m.positives)
        f[j] = p[j] + r[j] > 0 ? 2 * p[j] * r[j] / (p[j] + r[j]) : 0
      }
      for j in grid.indices {
        meanP[j] += p[j]
        meanR[j] += r[j]
        meanF[j] += f[j]
      }
      perCategory.append(.init(id: categoryIds[k], precision: p, recall: r, f1: f))
    }
    let count = Double(max(perCategory.count, 1))
    meanP = meanP.map { $0 / count }
    meanR = meanR.map { $0 / count }
    meanF = meanF.map { $0 / count }
    var best = 0
    for j in grid.indices where meanF[j] > meanF[best] { best = j }
    let curves = DetectionReport.ConfidenceCurves(
      iouThreshold: iou, confidence: grid, precision: meanP, recall: meanR, f1: meanF,
      perCategory: perCategory)
    let point = DetectionReport.OperatingPoint(
      confidence: grid[best], precision: meanP[best], recall: meanR[best], f1: meanF[best])
    return (curves, point)
  }
}
