import RunFormat

/// The compression section: what pruning removed (parameters, MACs, peak activations, weight
/// bytes before, after and as deployed), the KPIs it cost, and each pruned layer's channels.
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
      blocks.append(
        .table(
          ReportTable(
            headers: ["layer", "channels before", "after"],
            rows: pruned.map { [.code($0.node), .text(String($0.channels[0])), .text(String($0.channels[1]))] },
            numericColumns: [1, 2])))
    }
    return ReportSection(id: "compression", title: "Compression", blocks: blocks)
  }
}
