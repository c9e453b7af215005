extension VerificationReport: MetricsReport {
  /// A summary in LFW's reporting style (mean ± SE), with the facenet-style std as well.
  public func renderText() -> String {
    var lines: [String] = []
    lines.append(
      "Face verification — \(pairs) pairs, \(folds)-fold protocol, distance \(metric.rawValue)")
    lines.append(
      "accuracy \(fixed(accuracy)) ± \(fixed(standardError)) (standard error; std \(fixed(standardDeviation)))"
    )
    lines.append(
      "AUC \(fixed(roc.auc))   EER \(fixed(roc.equalErrorRate))"
        + tarAtFar.map { "   TAR@FAR=\($0.far) \(fixed($0.tar))" }.joined())
    lines.append("")
    lines.append(pad("fold", 4, left: false) + pad("accuracy", 10) + pad("threshold", 12))
    for (f, (a, t)) in zip(foldAccuracies, foldThresholds).enumerated() {
      lines.append(pad(String(f + 1), 4, left: false) + pad(fixed(a), 10) + pad(fixed(t, 5), 12))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
