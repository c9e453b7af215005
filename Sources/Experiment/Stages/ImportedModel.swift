import Datasets
import Foundation
import Geometry
import Graph
import ONNX

/// The model stage's path for `model.onnx`: the file imported (with its weights) by the ONNX
/// library, its outputs given the roles training and evaluation look for (``ModelOutputSettings``,
/// or defaults from the data's kind), and its input checked against the data.
enum ImportedModel {
  /// The graph with parameter values imported from `path`, roles assigned, for data of `kind`
  /// with `classes` classes (nil for identity data) and `channels` channels.
  /// - Throws: ``StageError/failed(_:)`` with a sentence naming the file (and the node, for an
  ///   unsupported op).
  static func graph(
    path: String, settings s: ModelSettings, kind: DatasetKind, classes: Int?, channels: Int
  ) throws -> ModelGraph {
    var graph: ModelGraph
    do {
      graph = try ONNXImporter.importModel(contentsOf: path)
    } catch {
      throw StageError.failed("cannot import model.onnx \(path): \(error)")
    }
    guard let input = graph.inputs.first, input.shape.count == 4, graph.inputs.count == 1 else {
      throw StageError.failed(
        "model.onnx \(path) must have one NCHW image input; it has \(graph.inputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", "))"
      )
    }
    if input.shape[1] != channels && !(input.shape[1] == 1 || input.shape[1] == 3) {
      throw StageError.failed(
        "model.onnx \(path) takes \(input.shape[1]) input channels, which cannot be made from the data's \(channels)")
    }
    let declared = s.outputs ?? []
    if declared.isEmpty {
      try assignDefaultRole(&graph, path: path, kind: kind, classes: classes)
    } else {
      for (i, o) in declared.enumerated() {
        try assign(o, index: i, to: &graph, path: path, classes: classes)
      }
    }
    return graph
  }

  /// No `model.outputs`: roles the file already carries (a Workbench export) are kept;
  /// otherwise a single output is the logits (classification) or the descriptor (identity).
  static func assignDefaultRole(_ graph: inout ModelGraph, path: String, kind: DatasetKind, classes: Int?) throws {
    let wanted: OutputInfo.Role = kind == .classification ? .logits : kind == .identity ? .descriptor : .yolo
    if graph.outputs.contains(where: { $0.role == wanted }) { return }
    guard kind != .detection else {
      throw StageError.failed(
        "model.onnx \(path) does not say which outputs are YOLO heads; declare them in model.outputs, e.g. [{\"name\": \"\(graph.outputs.first?.name ?? "head")\", \"role\": \"yolo\", \"anchors\": [[10, 14], [23, 27]], \"stride\": 16}]"
      )
    }
    guard graph.outputs.count == 1 else {
      throw StageError.failed(
        "model.onnx \(path) has \(graph.outputs.count) outputs (\(graph.outputs.map(\.name).joined(separator: ", "))); say which is the \(wanted.rawValue) output in model.outputs"
      )
    }
    let setting = ModelOutputSettings(name: "", role: wanted.rawValue, anchors: [], stride: 0, classes: 0)
    try assign(setting, index: 0, to: &graph, path: path, classes: classes)
  }

  /// Gives the output named by `o` (entry `index` of `model.outputs`) its role, checking its
  /// shape against the role and the data.
  static func assign(
    _ o: ModelOutputSettings, index: Int, to graph: inout ModelGraph, path: String, classes: Int?
  ) throws {
    let at = "model.outputs[\(index)]"
    let names = graph.outputs.map(\.name)
    let position: Int
    if o.name.isEmpty {
      guard graph.outputs.count == 1 else {
        throw StageError.failed(
          "\(at) has no name, but model.onnx \(path) has \(names.count) outputs: \(names.joined(separator: ", "))")
      }
      position = 0
    } else if let p = names.firstIndex(where: { $0 == o.name || $0 == ONNXImporter.valueName(forONNXName: o.name) }) {
      position = p
    } else {
      throw StageError.failed(
        "\(at) names output \"\(o.name)\", which model.onnx \(path) does not have; its outputs are \(names.joined(separator: ", "))"
      )
    }
    guard let role = OutputInfo.Role(rawValue: o.role) else {
      throw StageError.failed("\(at).role \"\(o.role)\" is not one of logits, descriptor, yolo, tensor")
    }
    var info = graph.outputs[position]
    let shape = info.shape
    let expectedClasses = o.classes > 0 ? o.classes : classes
    info.role = role
    info.anchors = nil; info.stride = nil; info.numClasses = nil
    switch role {
    case .logits:
      let count = shape.count >= 2 ? shape.dropFirst().reduce(1, *) : 0
      guard shape.count == 2 || (shape.count == 4 && shape[2] == 1 && shape[3] == 1),
        expectedClasses.map({ $0 == count }) ?? true
      else {
        throw StageError.failed(
          "output \(info.name) of model.onnx \(path) has shape \(shape); logits for \(expectedClasses.map(String.init) ?? "the") classes need [N, \(expectedClasses.map(String.init) ?? "classes")]"
        )
      }
      info.numClasses = count
    case .yolo:
      guard shape.count == 4, let input = graph.inputs.first?.shape, input.count == 4 else {
        throw StageError.failed(
          "output \(info.name) of model.onnx \(path) has shape \(shape); a YOLO head is [N, A·(5+C), H, W]")
      }
      let anchors = o.anchors.compactMap { a in a.count == 2 ? Anchor(width: a[0], height: a[1]) : nil }
      let c = expectedClasses ?? 1
      guard !anchors.isEmpty, shape[1] == anchors.count * (5 + c) else {
        throw StageError.failed(
          "output \(info.name) of model.onnx \(path) has \(shape[1]) channels; \(anchors.count) anchors × (5 + \(c) classes) need \(anchors.count * (5 + c))"
        )
      }
      info.anchors = anchors
      info.numClasses = c
      info.stride = o.stride > 0 ? o.stride : input[2] / max(1, shape[2])
    case .descriptor, .tensor:
      break
    }
    graph.outputs[position] = info
  }
}
