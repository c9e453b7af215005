import Foundation
import Graph
import SwiftProtobuf

/// Settings of a float ONNX export.
public struct ONNXExportOptions: Equatable, Sendable {
  /// The `ai.onnx` operator set written (13 or newer; the ops used are the same from 13 to 21).
  public var opset: Int
  /// Fold each BatchNorm that follows a convolution into it (``FoldBatchNorm``) before export;
  /// otherwise BatchNorm is written as `BatchNormalization`.
  public var foldBatchNorm: Bool

  /// Creates options; the defaults keep BatchNorm and write opset 13.
  public init(opset: Int = 13, foldBatchNorm: Bool = false) {
    self.opset = opset
    self.foldBatchNorm = foldBatchNorm
  }
}

/// Writes a ``ModelGraph`` with float32 weights as an ONNX model (NCHW, symbolic batch axis `N`,
/// weights as initializers named `"<node>.<role>"`, nodes named as in the graph), which ONNX
/// Runtime, nncase and NNTool read. A stage or command calls ``export(_:options:)`` and writes the
/// returned bytes.
///
/// The graph's output roles (YOLO anchors, class counts) are kept in the model's
/// `metadata_props` under ``outputsMetadataKey`` so that ``ONNXImporter`` restores them.
public enum ONNXExporter {
  /// The `metadata_props` key holding the graph outputs (``OutputInfo`` list) as JSON.
  public static let outputsMetadataKey = "workbench.outputs"
  /// The operator sets this exporter writes.
  public static let supportedOpsets = 13...21

  /// The serialized ONNX model of `graph`.
  /// - Throws: ``ONNXExportError`` when a parameter has no float32 value or the opset is not
  ///   supported; graph validation errors.
  public static func export(_ graph: ModelGraph, options: ONNXExportOptions = ONNXExportOptions()) throws -> Data {
    try model(graph, options: options).serializedBytes()
  }

  /// The ONNX `ModelProto` of `graph` (see ``export(_:options:)``).
  static func model(_ graph: ModelGraph, options: ONNXExportOptions) throws -> Onnx_ModelProto {
    guard supportedOpsets.contains(options.opset) else {
      throw ONNXExportError(
        graph.name,
        "opset \(options.opset) is not supported; choose one of \(supportedOpsets.lowerBound)–\(supportedOpsets.upperBound)"
      )
    }
    let source = options.foldBatchNorm ? try FoldBatchNorm.run(graph) : graph
    try source.validate()
    var g = Onnx_GraphProto()
    g.name = source.name
    let shapes = source.valueShapes
    for input in source.inputs { g.input.append(ONNXBuilding.valueInfo(input.name, shape: input.shape)) }
    for output in source.outputs { g.output.append(ONNXBuilding.valueInfo(output.name, shape: output.shape)) }
    let outputNames = Set(source.outputs.map(\.name))
    for node in source.nodes {
      let lowered = try FloatLowering.lower(node, in: source)
      g.node += lowered.nodes
      g.initializer += lowered.initializers
      for output in node.outputs where !outputNames.contains(output) {
        if let shape = shapes[output] { g.valueInfo.append(ONNXBuilding.valueInfo(output, shape: shape)) }
      }
    }
    var m = Onnx_ModelProto()
    m.irVersion = irVersion(opset: options.opset)
    m.producerName = "workbench"
    m.graph = g
    var opset = Onnx_OperatorSetIdProto()
    opset.domain = ""
    opset.version = Int64(options.opset)
    m.opsetImport = [opset]
    var outputs = Onnx_StringStringEntryProto()
    outputs.key = outputsMetadataKey
    outputs.value = String(decoding: try JSONEncoder().encode(source.outputs), as: UTF8.self)
    m.metadataProps = [outputs]
    return m
  }

  /// The IR version that goes with an opset (ONNX's versioning table), the oldest that allows
  /// it so that older runtimes load the file.
  static func irVersion(opset: Int) -> Int64 {
    switch opset {
    case ...13: return 7
    case 14...18: return 8
    case 19...20: return 9
    default: return 10
    }
  }
}
