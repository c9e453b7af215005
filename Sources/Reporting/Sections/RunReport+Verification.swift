import Charts
import Metrics

/// The verification section: k-fold accuracy (mean ± std, SE), ROC with AUC and EER, TAR@FAR,
/// per-fold accuracy and the distance histograms of matched and mismatched pairs.
extension RunReport {
  func verificationSection() -> ReportSection? {
    guard let v = verification else { return nil }
    var facts: [(String, Inline)] = [
      ("Distance", .code(v.metric.rawValue)),
      ("Pairs / folds", .text("\(Format.count(v.pairs)) / \(v.folds)")),
      (
        "Accuracy",
        .strong(
          "\(Format.metric(v.accuracy)) ± \(Format.metric(v.standardDeviation)) (std over folds), SE \(Format.metric(v.standardError))"
        )
      ),
      ("AUC", .text(Format.metric(v.roc.auc))),
      ("EER", .text("\(Format.metric(v.roc.equalErrorRate)) at distance \(Format.metric(v.roc.equalErrorThreshold))")),
    ]
    for t in v.tarAtFar {
      facts.append(
        (
          "TAR @ FAR \(TickFormatter.compact(t.far))",
          .text("\(Format.metric(t.tar)) (distance \(Format.metric(t.threshold)))")
        ))
    }
    var figures: [Figure] = [rocFigure(v), foldFigure(v)]
    if let distances = pairDistances { figures.append(distanceFigure(distances)) }
    let rows: [[Inline]] = v.foldAccuracies.enumerated().map { i, a in
      [
        .text(String(i + 1)), .text(Format.metric(a)),
        .text(i < v.foldThresholds.count ? Format.metric(v.foldThresholds[i]) : "–"),
      ]
    }
    let table = ReportTable(
      headers: ["fold", "accuracy", "threshold"], rows: rows, numericColumns: [0, 1, 2], sortable: true)
    return ReportSection(
      id: "verification", title: "Verification",
      blocks: [.table(.keyValues(facts)), .figureRow(figures), .table(table)])
  }

  func rocFigure(_ v: VerificationReport) -> Figure {
    let series = [
      Series(name: "ROC (AUC \(Format.metric(v.roc.auc)))", x: v.roc.falseAcceptRate, y: v.roc.trueAcceptRate),
      Series(name: "chance", x: [0, 1], y: [0, 1], colorIndex: 6, dashed: true),
    ]
    return Figure(
      id: "verification-roc",
      chart: Chart(
        title: "ROC (all pairs pooled)", xAxis: .unit("false accept rate"), yAxis: .unit("true accept rate"),
        content: .xy(series), showsLegend: true))
  }

  func foldFigure(_ v: VerificationReport) -> Figure {
    let lower = max(0, ((v.foldAccuracies.min() ?? 0) - 0.05) * 10).rounded(.down) / 10
    let chart = Chart(
      title: "Accuracy per fold", xAxis: Axis(label: "fold", integerTicks: true),
      yAxis: Axis(label: "accuracy", domain: lower...1),
      content: .xy([
        Series(
          name: "fold accuracy", x: v.foldAccuracies.indices.map { Double($0 + 1) }, y: v.foldAccuracies,
          style: .scatter),
        Series(
          name: "mean", x: [1, Double(max(v.foldAccuracies.count, 1))], y: [v.accuracy, v.accuracy], colorIndex: 1,
          dashed: true),
      ]), showsLegend: true)
    return Figure(id: "verification-folds", chart: chart)
  }

  func distanceFigure(_ d: PairDistances) -> Figure {
    let all = d.same + d.different
    let lo = all.filter(\.isFinite).min() ?? 0
    let hi = all.filter(\.isFinite).max() ?? 1
    let range = lo < hi ? lo...hi : (lo - 0.5)...(lo + 0.5)
    let chart = Chart(
      title: "Pair distances", xAxis: Axis(label: "\(d.metric ?? "") distance"), yAxis: Axis(label: "pairs"),
      content: .histogram([
        HistogramSeries(name: "matched (same person)", values: d.same, bins: 30, range: range),
        HistogramSeries(name: "mismatched", values: d.different, bins: 30, range: range),
      ]), showsLegend: true)
    return Figure(id: "verification-distances", chart: chart)
  }
}
