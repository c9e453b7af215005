import Charts
import RunFormat

/// The quantization section: float against quantized KPIs with the drop, in task terms; the
/// per-tensor SQNR of the integer executor against float (worst tensors highlighted); and the
/// calibration histograms of the worst tensors with the chosen clip range.
extension RunReport {
  func quantizationSection() -> ReportSection? {
    guard let q = quantization else { return nil }
    var blocks: [Block] = [
      .paragraph([
        .text(
          "Scheme \(q.scheme), calibrated with \(q.method)\(q.method == "percentile" ? " (\(Format.metric(q.percentile)) %)" : "") on \(q.images) training images (a seeded sample)"
            + (q.passes.isEmpty ? "" : ", after \(q.passes.joined(separator: ", "))")
            + ". Quantized KPIs come from the scheme's integer reference executor on the whole evaluation split, with the same metric definitions as float."
        )
      ])
    ]
    if let metrics, metrics.variants.contains(where: { $0.name == "quantized" }) {
      let rows: [[Inline]] = metrics.metricNames.compactMap { name in
        guard let f = metrics.value(name, variant: "float"), let z = metrics.value(name, variant: "quantized") else {
          return nil
        }
        return [.code(name), .text(Format.metric(f)), .text(Format.metric(z)), .text(Format.metric(z - f))]
      }
      blocks.append(
        .table(
          ReportTable(headers: ["metric", "float", "quantized", "change"], rows: rows, numericColumns: [1, 2, 3])))
    }
    // tensors the scheme represents exactly (e.g. 8-bit pixels k/255) would flatten the chart
    let activations = q.tensors.filter { $0.kind == "activation" && $0.sqnr != nil && ($0.maxAbsError ?? 1) > 1e-6 }
    let worst = Set(q.worst(3).map(\.name))
    if !activations.isEmpty {
      let chart = Chart(
        title: "SQNR of each quantized tensor (integer executor against float, calibration images)",
        width: 760, height: 320, xAxis: Axis(label: "tensor, in graph order"), yAxis: Axis(label: "SQNR (dB)"),
        content: .bars(
          BarData(
            categories: activations.map(\.name),
            series: [
              BarSeries(name: "SQNR", values: activations.map { worst.contains($0.name) ? 0 : $0.sqnr ?? 0 }),
              BarSeries(name: "lowest 3", values: activations.map { worst.contains($0.name) ? $0.sqnr ?? 0 : 0 }),
            ])))
      blocks.append(.figure(Figure(id: "quantization-sqnr", chart: chart)))
    }
    let rows: [[Inline]] = q.worst(8).map { t in
      [
        .code(t.name), .text(t.elementType), .text(Format.metric(t.scales.first ?? 0)),
        .text(t.zeroPoints.first.map(String.init) ?? ""), .text(Format.metric(t.sqnr ?? 0)),
        .text(Format.metric(t.cosine ?? 1)), .text(Format.metric(t.maxAbsError ?? 0)),
      ]
    }
    if !rows.isEmpty {
      blocks.append(
        .table(
          ReportTable(
            headers: ["tensor (lowest SQNR first)", "type", "scale", "zero point", "SQNR dB", "cosine", "max |error|"],
            rows: rows, numericColumns: [2, 3, 4, 5, 6])))
    }
    // shares of each tensor's values (tensors differ in size), up to 1.25× the widest chosen
    // clip so the clip region is readable; the long tails beyond it are left out of the plot
    let worst3 = q.worst(3)
    let shown = 1.25 * (worst3.compactMap { $0.chosen.map { max(abs($0[0]), abs($0[1])) } }.max() ?? 0)
    let histograms = worst3.compactMap { t -> HistogramSeries? in
      guard let counts = t.histogram, let top = t.histogramMax, top > 0 else { return nil }
      let total = Double(max(counts.reduce(0, +), 1)), width = top / Double(counts.count)
      let kept = shown > 0 ? min(counts.count, max(1, Int((shown / width).rounded(.up)))) : counts.count
      let edges = (0...kept).map { width * Double($0) }
      return HistogramSeries(name: t.name, edges: edges, counts: counts.prefix(kept).map { 100 * Double($0) / total })
    }
    if !histograms.isEmpty {
      let clips = worst3.compactMap { t in
        t.chosen.map { "\(t.name): [\(Format.metric($0[0])), \(Format.metric($0[1]))]" }
      }
      blocks.append(
        .figure(
          Figure(
            id: "quantization-histograms",
            chart: Chart(
              title: "Calibration histograms of |x|, lowest-SQNR tensors (up to 1.25× the widest clip)", width: 760,
              height: 300, xAxis: Axis(label: "|x|"), yAxis: Axis(label: "share of values (%)"),
              content: .histogram(histograms)))))
      blocks.append(.paragraph([.text("Chosen ranges: " + clips.joined(separator: "; ") + ".")]))
    }
    return ReportSection(id: "quantization", title: "Quantization", blocks: blocks)
  }
}
