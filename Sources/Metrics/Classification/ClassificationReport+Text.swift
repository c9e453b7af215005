extension ClassificationReport: MetricsReport {
  /// A summary: accuracy, top-k, averages and a per-class table.
  public func renderText() -> String {
    var lines: [String] = []
    lines.append("Classification evaluation — \(samples) samples, \(classNames.count) classes")
    var headline = "accuracy \(fixed(accuracy))"
    for t in topK where t.k != 1 { headline += "   top-\(t.k) \(fixed(t.accuracy))" }
    if let map = meanAveragePrecision { headline += "   mean AP \(fixed(map))" }
    lines.append(headline)
    if let c = calibration {
      lines.append(
        "calibration: ECE \(fixed(c.expectedCalibrationError))   MCE \(fixed(c.maximumCalibrationError))   mean confidence \(fixed(c.meanConfidence)) (\(c.bins.count) bins)"
      )
    }
    for (name, a) in [("macro", macro), ("micro", micro), ("weighted", weighted)] {
      lines.append(
        "\(pad(name, 8, left: false)) precision \(fixed(a.precision))  recall \(fixed(a.recall))  F1 \(fixed(a.f1))"
      )
    }
    lines.append("")
    let w = max(5, classNames.map(\.count).max() ?? 0)
    lines.append(
      pad("class", w, left: false) + pad("support", 9) + pad("precision", 11) + pad("recall", 9)
        + pad("F1", 9) + pad("AP", 9))
    for c in perClass {
      lines.append(
        pad(c.name, w, left: false) + pad(String(c.support), 9) + pad(fixed(c.precision), 11)
          + pad(fixed(c.recall), 9) + pad(fixed(c.f1), 9) + pad(fixed(c.curve?.averagePrecision), 9)
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
