import Graph

extension K210Executor {
  /// The executor as a ``QuantizedModel``: the float graph (the KPU layers are derived from it
  /// and the calibrated ranges, deterministically), and a side table with each KPU layer's
  /// uint8 input format, its output format (the folded activation's output when there is one)
  /// and its per-output-channel weight scales (uint8, zero point 128). The integer words of each
  /// layer (weights, BN multipliers, activation segments) are what the kmodel export writes.
  public var quantizedModel: QuantizedModel {
    var table = QuantizationTable(scheme: .k210)
    var fused: [String: String] = [:]
    for node in graph.nodes {
      guard let layer = layers[node.name] else { continue }
      let q = layer.quantized
      table[node.inputs[0]] = TensorQuantization(
        scale: Double(q.input.scale), zeroPoint: q.input.zeroPoint, elementType: .uint8)
      var output = node.outputs[0]
      if let act = layer.activation, let actNode = graph.node(named: act) {
        fused[node.name] = act
        output = actNode.outputs[0]
      }
      table[output] = TensorQuantization(
        scale: Double(q.output.scale), zeroPoint: q.output.zeroPoint, elementType: .uint8)
      table[Parameter.key(node: node.name, role: "weight")] = TensorQuantization(
        scales: q.weightScales.map(Double.init),
        zeroPoints: Array(
          repeating: K210Quantizer.weightZeroPoint,
          count: q.weightScales.count), axis: 0, elementType: .uint8)
    }
    return QuantizedModel(graph: graph, table: table, fusedActivations: fused)
  }
}
