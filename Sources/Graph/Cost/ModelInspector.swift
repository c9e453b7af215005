/// What `workbench inspect model FILE|NAME [--width --depth --resolution]` prints: the model's
/// summary, per-layer cost table, totals, peak activation memory and optionally its diagram.
public enum ModelInspector {
  /// How to draw the graph after the table, if at all.
  public enum Diagram: String, CaseIterable, Sendable {
    /// No diagram.
    case none
    /// A Mermaid flowchart.
    case mermaid
    /// A Graphviz digraph.
    case dot
  }

  /// The inspection text for a zoo name or a JSON definition file, built with `options`.
  /// (GraphHDF5 adds `summary(of:options:diagram:)`, which also reads weight files.)
  /// - Throws: ``DefinitionError`` or ``GraphValidationError``.
  public static func summary(
    ofDefinition nameOrPath: String, options: BuildOptions = BuildOptions(), diagram: Diagram = .none
  ) throws -> String {
    let definition = try ModelZoo.definition(nameOrPath)
    let graph = try definition.build(options)
    var header = [
      "Definition \(ModelZoo.file(for: nameOrPath) ?? "\(nameOrPath) (built in)"), sha256 \(definition.sha256)"
    ]
    if let description = definition.description { header.append(description) }
    if options != BuildOptions() {
      header.append("Multipliers: width \(options.width), depth \(options.depth), resolution \(options.resolution)")
    }
    return try summary(of: graph, header: header, diagram: diagram)
  }

  /// The inspection text for `graph`: the `header` lines, inputs and outputs, the per-layer
  /// cost table with totals, and optionally the diagram.
  /// - Throws: ``GraphValidationError`` when the graph is invalid.
  public static func summary(of graph: ModelGraph, header: [String], diagram: Diagram = .none) throws -> String {
    var header = header
    header.append("Inputs: " + graph.inputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", "))
    header.append("Outputs: " + graph.outputs.map(describe).joined(separator: "; "))
    var text = header.joined(separator: "\n") + "\n\n" + (try CostAnalysis.analyze(graph)).renderText()
    switch diagram {
    case .none: break
    case .mermaid: text += "\n" + graph.mermaid()
    case .dot: text += "\n" + graph.dot()
    }
    return text
  }

  static func describe(_ output: OutputInfo) -> String {
    var s = "\(output.name) \(output.shape) (\(output.role.rawValue)"
    if let classes = output.numClasses { s += ", \(classes) classes" }
    if let stride = output.stride { s += ", stride \(stride)" }
    if let anchors = output.anchors {
      s +=
        ", anchors " + anchors.map { "\(Int($0.width.rounded()))×\(Int($0.height.rounded()))" }.joined(separator: " ")
    }
    return s + ")"
  }
}
