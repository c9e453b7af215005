import Charts
import RunFormat

/// The compression section: what pruning removed (parameters, MACs, peak activations, weight
/// bytes before, after and as deployed), the KPIs it cost, each pruned layer's channels (with
/// the ratio asked of its group), and the sensitivity curves when the analysis ran.
extension RunReport {
  func compressionSection() -> ReportSection? {
    guard let c = compression else { return nil }
    func row(_ name: String, _ f: (CompressionRecord.Totals) -> Int) -> [Inline] {
      [.text(name), .text(Format.count(f(c.before))), .text(Format.count(f(c.after)))]
        + (c.deployed.map { [.text(Format.count(f($0)))] } ?? [])
        + [.text(Format.metric(Double(f(c.after)) / Double(max(f(c.before), 1))))]
    }
    var blocks: [Block] = [
      .table(
        ReportTable(
          headers: ["", "trained", "pruned + fine-tuned"] + (c.deployed != nil ? ["deployed (BN folded)"] : [])
            + ["pruned / trained"],
          rows: [
            row("parameters", \.parameters), row("MACs per image", \.macs),
            row("peak activation bytes", \.peakActivationBytes), row("weight bytes", \.weightBytes),
          ], numericColumns: Set(1...(c.deployed != nil ? 4 : 3))))
    ]
    if let metrics, metrics.variants.contains(where: { $0.name == "compressed" }) {
      let rows: [[Inline]] = metrics.metricNames.compactMap { name in
        guard let f = metrics.value(name, variant: "float"), let z = metrics.value(name, variant: "compressed") else {
          return nil
        }
        return [.code(name), .text(Format.metric(f)), .text(Format.metric(z)), .text(Format.metric(z - f))]
      }
      blocks.append(
        .table(
          ReportTable(headers: ["metric", "float", "compressed", "change"], rows: rows, numericColumns: [1, 2, 3])))
    }
    let pruned = c.layers.filter { $0.channels.count == 2 && $0.channels[0] != $0.channels[1] }
    if !pruned.isEmpty {
      let ratios = c.ratios ?? [:]
      blocks.append(
        .table(
          ReportTable(
            headers: ["layer", "channels before", "after"] + (ratios.isEmpty ? [] : ["group ratio"]),
            rows: pruned.map { l in
              [.code(l.node), .text(String(l.channels[0])), .text(String(l.channels[1]))]
                + (ratios.isEmpty ? [] : [.text(ratios[l.node].map { Format.metric($0) } ?? "–")])
            },
            numericColumns: ratios.isEmpty ? [1, 2] : [1, 2, 3])))
    }
    if let chart = sensitivityChart() { blocks.append(.figure(Figure(id: "compression-sensitivity", chart: chart))) }
    return ReportSection(id: "compression", title: "Compression", blocks: blocks)
  }

  /// KPI against pruning ratio, one line per channel group pruned alone without fine-tuning
  /// (Distiller's sensitivity plot); ratio 0 is the unpruned model.
  func sensitivityChart() -> Chart? {
    guard let s = sensitivity, !s.curves.isEmpty else { return nil }
    let series = s.curves.enumerated().map { i, curve in
      let points = curve.points.sorted { $0.ratio < $1.ratio }
      return Series(
        name: "\(curve.group) (\(curve.channels))", x: [0] + points.map(\.ratio), y: [s.baseline] + points.map(\.kpi),
        colorIndex: i)
    }
    return Chart(
      title: "Sensitivity: \(s.kpi) on \(s.samples) images, each group pruned alone",
      xAxis: .unit("ratio of the group's channels removed"), yAxis: Axis(label: s.kpi, includesZero: true),
      content: .xy(series), showsLegend: true)
  }
}
