import Charts
import RunFormat

/// The K210 section: whether the model deploys, memory against the chip's limits, and where
/// each layer runs.
extension RunReport {
  func k210Section() -> ReportSection? {
    guard let c = k210Check else { return nil }
    let kpuLayers = c.layers.filter { $0.processor == "kpu" }.count
    let budget = c.limits.mainRAM - c.limits.reserve
    let main = c.modelBytes + c.activationBytes
    let facts: [(String, Inline)] = [
      ("Verdict", .text(c.problems.isEmpty ? "fits the K210" : "does not fit the K210")),
      ("Placement", .text("\(kpuLayers) KPU layers, \(c.layers.count - kpuLayers) CPU ops (nncase 1.9 rules)")),
      (
        "KPU RAM",
        .text(
          "peak \(Format.bytes(c.kpu.peakBytes)), highest byte \(Format.bytes(c.kpu.highWater)) of \(Format.bytes(c.limits.kpuRAM)) (row layout, first fit)"
        )
      ),
      (
        "Main memory",
        .text(
          "\(Format.bytes(main)) (parameters \(Format.bytes(c.modelBytes)), CPU-side tensors \(Format.bytes(c.activationBytes))) of \(Format.bytes(budget)) after a \(Format.bytes(c.limits.reserve)) reserve"
        )
      ),
    ]
    var blocks: [Block] = [.table(.keyValues(facts))]
    for problem in c.problems { blocks.append(.paragraph([.text("✗ " + problem)])) }
    let chart = Chart(
      title: "Memory against the K210's limits", width: 560, height: 300, xAxis: Axis(label: "memory"),
      yAxis: Axis(label: "bytes"),
      content: .bars(
        BarData(
          categories: ["KPU RAM", "main memory"],
          series: [
            BarSeries(name: "used", values: [Double(c.kpu.highWater), Double(main)]),
            BarSeries(name: "available", values: [Double(c.limits.kpuRAM), Double(budget)]),
          ])))
    blocks.append(.figure(Figure(id: "k210-memory", chart: chart)))
    let rows: [[Inline]] = c.layers.map { l in
      let why = l.violations.map { "✗ \($0.rule): the KPU accepts \($0.limit), this layer has \($0.value)" } + l.notes
      return [
        .code(l.name), .text(l.processor.uppercased()),
        .text(l.outputShape.dropFirst().map(String.init).joined(separator: "×")),
        .text(l.summary), .text(why.joined(separator: "; ")),
      ]
    }
    blocks.append(.table(ReportTable(headers: ["layer", "on", "output", "what", "notes"], rows: rows)))
    return ReportSection(id: "k210", title: "K210", blocks: blocks)
  }
}
