/// Computes a ``CostReport`` from a graph with each op's cost definition.
public enum CostAnalysis {
  /// The per-layer cost table, totals and peak activation memory of `graph`.
  /// - Throws: ``GraphValidationError`` when the graph is invalid.
  public static func analyze(_ graph: ModelGraph) throws -> CostReport {
    try graph.validate()
    let shapes = graph.valueShapes
    let bytes: (String) -> Int = { 4 * (shapes[$0]?.dropFirst().reduce(1, *) ?? 0) }
    var rows: [LayerCost] = []
    for node in graph.nodes {
      let inputShapes = node.inputs.compactMap { shapes[$0] }
      let outputShapes = node.outputs.compactMap { shapes[$0] }
      var trainable = 0, buffers = 0
      for (_, _, p) in graph.parameters(of: node) {
        if p.kind == .trainable { trainable += p.count } else { buffers += p.count }
      }
      rows.append(
        LayerCost(
          node: node.name, op: node.op, outputShape: outputShapes.first ?? [],
          parameters: trainable, buffers: buffers,
          macs: node.op.semantics.macs(node, inputShapes: inputShapes, outputShapes: outputShapes),
          activationBytes: node.outputs.map(bytes).reduce(0, +)))
    }
    let peak = peakMemory(graph, bytes: bytes)
    return CostReport(
      model: graph.name, layers: rows,
      totalParameters: rows.map(\.parameters).reduce(0, +), totalBuffers: rows.map(\.buffers).reduce(0, +),
      totalMACs: rows.map(\.macs).reduce(0, +), totalActivationBytes: rows.map(\.activationBytes).reduce(0, +),
      inputBytes: graph.inputs.map { bytes($0.name) }.reduce(0, +),
      peakActivationBytes: peak.bytes, peakNode: peak.node)
  }

  /// Liveness over the sequential schedule: while a node runs, its inputs, its outputs and every
  /// value still needed later are resident.
  static func peakMemory(_ graph: ModelGraph, bytes: (String) -> Int) -> (bytes: Int, node: String) {
    var lastUse: [String: Int] = [:]
    for (i, node) in graph.nodes.enumerated() {
      for input in node.inputs { lastUse[input] = i }
    }
    for output in graph.outputs { lastUse[output.name] = graph.nodes.count }
    var live = Set(graph.inputs.map(\.name))
    var current = live.map(bytes).reduce(0, +)
    var peak = (bytes: current, node: graph.inputs.first?.name ?? "")
    for (i, node) in graph.nodes.enumerated() {
      for output in node.outputs where live.insert(output).inserted { current += bytes(output) }
      if current > peak.bytes { peak = (current, node.name) }
      for value in Set(node.inputs + node.outputs) where (lastUse[value] ?? i) <= i {
        if live.remove(value) != nil { current -= bytes(value) }
      }
    }
    return peak
  }
}
