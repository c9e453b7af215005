import Foundation
import Graph
import SwiftProtobuf

/// Reads an ONNX model (as PyTorch's exporter writes it, opsets 9–21) into a ``ModelGraph``
/// with float32 parameter values.
///
/// Shape arithmetic (`Shape`, `Gather`, `Unsqueeze`, `Concat`, …) is evaluated at import time
/// with the shapes inferred node by node, `Clip(0, 6)` becomes ReLU6, a zero `Pad` before a
/// Conv becomes the Conv's padding, `MatMul` + `Add` becomes Dense, and `Identity` and `Dropout`
/// disappear. Anything else is an ``ONNXImportError`` naming the node, its op and what is
/// supported; a file that is not an ONNX model gets ``ONNXImportError/malformed(_:)``.
public enum ONNXImporter {
  /// The `ai.onnx` operator sets read.
  public static let supportedOpsets = 9...21
  /// Graph names exporters write when the user gives none; such a graph is named after the file.
  static let placeholderNames: Set<String> = ["main_graph", "torch_jit", "torch-jit-export", "tf2onnx", "graph"]

  /// The name an imported graph gives the ONNX value `onnxName` (``ModelGraph`` names have no
  /// `/`, `.`, `:` or spaces), so settings can name an output as the file does.
  public static func valueName(forONNXName onnxName: String) -> String { ImportContext.sanitize(onnxName) }

  /// The graph in the ONNX file at `path`; the graph is named after the file unless the model
  /// names it.
  public static func importModel(contentsOf path: String) throws -> ModelGraph {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ONNXImportError.malformed(
        FileManager.default.fileExists(atPath: path) ? "\(path) cannot be read" : "\(path) does not exist")
    }
    let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try importModel(data, name: stem)
  }

  /// The graph in serialized ONNX `data`; `name` is used when the model's graph has no name of
  /// its own (none, or an exporter's placeholder such as PyTorch's `main_graph`).
  public static func importModel(_ data: Data, name: String = "onnx-model") throws -> ModelGraph {
    let model: Onnx_ModelProto
    do {
      model = try Onnx_ModelProto(serializedBytes: data)
    } catch {
      throw ONNXImportError.malformed("it is not an ONNX protobuf message or it is truncated (\(error))")
    }
    guard model.hasGraph, model.irVersion > 0, !model.graph.node.isEmpty else {
      throw ONNXImportError.malformed("it has no graph with nodes (is it an ONNX model file?)")
    }
    var opset: Int?
    for o in model.opsetImport {
      if o.domain.isEmpty || o.domain == "ai.onnx" {
        opset = Int(o.version)
      } else if model.graph.node.contains(where: { $0.domain == o.domain }) {
        throw ONNXImportError.unsupportedOpset(
          domain: o.domain, version: Int(o.version), supported: "only the default domain ai.onnx")
      }
    }
    let version = opset ?? 1
    guard supportedOpsets.contains(version) else {
      throw ONNXImportError.unsupportedOpset(
        domain: "", version: version, supported: "versions \(supportedOpsets.lowerBound)–\(supportedOpsets.upperBound)")
    }
    let graphName = model.graph.name
    let placeholder = graphName.isEmpty || placeholderNames.contains(graphName)
    return try translate(model, opset: version, name: placeholder ? name : graphName)
  }

  private static func translate(_ model: Onnx_ModelProto, opset: Int, name: String) throws -> ModelGraph {
    let g = model.graph
    var c = ImportContext(opset: opset)
    c.graphOutputs = Set(g.output.map(\.name))
    for node in g.node { for input in node.input where !input.isEmpty { c.readers[input, default: 0] += 1 } }
    for output in g.output { c.readers[output.name, default: 0] += 1 }
    for t in g.initializer { c.values[t.name] = .constant(try TensorProtoCoding.constant(t, what: "initializer")) }
    for input in g.input where c.values[input.name] == nil {
      let dims = input.type.tensorType.shape.dim
      guard input.type.tensorType.elemType == Int32(Onnx_TensorProto.DataType.float.rawValue), !dims.isEmpty else {
        throw ONNXImportError.malformed("graph input '\(input.name)' is not a float tensor of known rank")
      }
      // The batch axis is 1 in a Workbench graph and stands for any batch size; a fixed batch
      // in the file is remembered, as exporters bake it into Reshape targets.
      if let batch = dims.first, batch.dimValue > 1 { c.fileBatch = Int(batch.dimValue) }
      var shape = [1]
      for (i, d) in dims.enumerated().dropFirst() {
        guard d.dimValue > 0 else {
          throw ONNXImportError.malformed(
            "graph input '\(input.name)' has a symbolic or unknown extent on axis \(i); only the batch axis may vary")
        }
        shape.append(Int(d.dimValue))
      }
      let ours = c.unique(ImportContext.sanitize(input.name).isEmpty ? "input" : ImportContext.sanitize(input.name))
      c.inputs.append(ValueInfo(name: ours, shape: shape))
      c.valueInfos.append(ValueInfo(name: ours, shape: shape))
      c.shapes[ours] = shape
      c.values[input.name] = .runtime(ours)
    }
    guard !c.inputs.isEmpty else {
      throw ONNXImportError.malformed("the graph has no input that is not an initializer")
    }
    for (index, node) in g.node.enumerated() {
      guard !node.output.isEmpty else { throw node.unsupported("has no output") }
      for input in node.input where !input.isEmpty && c.values[input] == nil {
        throw ONNXImportError.missingValue(node: node.name, op: node.opType, input: input)
      }
      if let folded = try ConstantFolding.fold(node, c) {
        for (output, value) in zip(node.output, folded) { c.values[output] = .constant(value) }
      } else {
        try ImportOps.translate(node, index: index, &c)
      }
    }
    let roles = outputRoles(model)
    var outputs: [OutputInfo] = []
    for output in g.output {
      let v: String
      switch c.values[output.name] {
      case let .runtime(name)?: v = name
      case let .pending(p)?: throw ONNXImportError.invalidGraph("graph output '\(output.name)' is \(p.description).")
      case .constant?:
        throw ONNXImportError.invalidGraph("graph output '\(output.name)' is a constant, not a computed tensor.")
      case nil: throw ONNXImportError.malformed("graph output '\(output.name)' is not computed by any node")
      }
      var info = roles[output.name] ?? roles[v] ?? OutputInfo(name: v, shape: [])
      info.name = v
      info.shape = c.shapes[v] ?? []
      outputs.append(info)
    }
    let graph = ModelGraph(
      name: name, inputs: c.inputs, outputs: outputs, values: c.valueInfos, nodes: c.nodes, parameters: c.parameters)
    do {
      try graph.validate()
    } catch {
      throw ONNXImportError.invalidGraph("\(error)")
    }
    return graph
  }

  /// Output roles written by ``ONNXExporter`` (YOLO anchors, descriptors), by output name.
  private static func outputRoles(_ model: Onnx_ModelProto) -> [String: OutputInfo] {
    guard let entry = model.metadataProps.first(where: { $0.key == ONNXExporter.outputsMetadataKey }),
      let infos = try? JSONDecoder().decode([OutputInfo].self, from: Data(entry.value.utf8))
    else { return [:] }
    return Dictionary(infos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
  }
}
