import Charts
import RunFormat

/// The model section: totals, per-layer costs and the graph.
extension RunReport {
  func modelSection() -> ReportSection? {
    guard cost != nil || graphMermaid != nil else { return nil }
    var blocks: [Block] = []
    if let cost {
      var facts: [(String, Inline)] = []
      if let model = cost.model { facts.append(("Model", .text(model))) }
      facts += [
        (
          "Parameters",
          .text(Format.count(cost.totalParameters) + " (\(Format.bytes(cost.totalParameters * 4)) as float32)")
        ),
        ("MACs per image", .text(Format.count(cost.totalMACs))),
        ("Peak activation memory", .text(cost.peakActivationBytes.map(Format.bytes) ?? "–")),
        ("Layers", .text(String(cost.layers.count))),
      ]
      blocks.append(.table(.keyValues(facts)))
      if let figure = macsFigure(cost) { blocks.append(.figure(figure)) }
      let rows: [[Inline]] = cost.layers.map { l in
        [
          .code(l.name), .text(l.op), .text(l.outputShape.map(String.init).joined(separator: "×")),
          .text(Format.count(l.parameters)), .text(Format.count(l.macs)), .text(Format.count(l.activationBytes)),
        ]
      }
      let table = ReportTable(
        headers: ["layer", "op", "output", "parameters", "MACs", "activation bytes"], rows: rows,
        numericColumns: [3, 4, 5], sortable: true)
      blocks.append(
        cost.layers.count > 40
          ? .collapsible(summary: "Per-layer costs (\(cost.layers.count) layers)", [.table(table)]) : .table(table))
    }
    if let graphMermaid {
      if let diagram = GraphDiagram(mermaid: graphMermaid), let scene = diagram.scene(title: "Model graph") {
        let figure = Block.figure(Figure(id: "model-graph", title: "Model graph", scene: scene))
        // Long chains make a tall picture: keep it one click away.
        blocks.append(
          diagram.nodes.count > 16
            ? .collapsible(summary: "Model graph (\(diagram.nodes.count) nodes)", [figure]) : figure)
      }
      blocks.append(
        .collapsible(summary: "Graph as Mermaid text (graph.mmd)", [.code(graphMermaid, language: "mermaid")]))
    }
    return ReportSection(id: "model", title: "Model", blocks: blocks)
  }

  func macsFigure(_ cost: ModelCost) -> Figure? {
    let layers = cost.layers.filter { $0.macs > 0 }
    guard !layers.isEmpty, layers.count <= 60 else { return nil }
    let chart = Chart(
      title: "MACs per layer", width: 720, height: 340, xAxis: Axis(label: "layer"), yAxis: Axis(label: "MACs"),
      content: .bars(
        BarData(
          categories: layers.map(\.name), series: [BarSeries(name: "MACs", values: layers.map { Double($0.macs) })])))
    return Figure(id: "model-macs", chart: chart)
  }
}
