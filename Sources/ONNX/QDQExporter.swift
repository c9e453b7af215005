import Foundation
import Graph
import Quantization
import Tensors

/// Writes an `int8`-scheme ``QuantizedModel`` as an ONNX model in QDQ form, which ONNX Runtime
/// runs with integer kernels (`QLinearConv`, `QLinearMatMul`, … after its QDQ fusion):
///
/// - every value with a format in the side table (graph inputs, layer and activation outputs)
///   is followed by `QuantizeLinear` → `DequantizeLinear` with its uint8 scale and zero point;
///   the producing node writes `<value>/float` and the `DequantizeLinear` writes `<value>`, so
///   names and graph outputs stay those of the graph;
/// - conv and dense weights are int8 initializers `<node>.weight.quantized` dequantized per
///   output channel (axis 0), biases int32 `<node>.bias.quantized` with scale s_in · s_w[o];
/// - a layer whose ReLU/ReLU6 is fused (``QuantizedModel/fusedActivations``) has no Q/DQ pair
///   between layer and activation, so the runtime fuses them as the integer executor does.
///
/// Ops run as in the float export (``ONNXExporter``), between the Q/DQ pairs.
public enum QDQExporter {
  /// The serialized QDQ model of `model` (opset 13 or newer: per-axis `DequantizeLinear`).
  /// - Throws: ``ONNXExportError`` for other schemes than `int8`, values without a format, or
  ///   parameters of unexpected types.
  public static func export(_ model: QuantizedModel, opset: Int = 13) throws -> Data {
    try proto(model, opset: opset).serializedBytes()
  }

  static func proto(_ model: QuantizedModel, opset: Int) throws -> Onnx_ModelProto {
    guard model.table.scheme == .int8 else {
      throw ONNXExportError(
        model.graph.name, "the QDQ export writes the int8 scheme, not \(model.table.scheme.rawValue)")
    }
    let graph = model.graph, table = model.table
    // A float copy of the graph (integer parameters dequantized) drives the float lowering; the
    // integer parameters then replace their float initializers with DequantizeLinear nodes.
    var floatGraph = graph
    var quantized: [String: (Parameter, TensorQuantization)] = [:]
    for (key, parameter) in graph.parameters where parameter.elementType != .float32 {
      guard let q = table[key], let data = parameter.data else {
        throw ONNXExportError("parameter \(key)", "it holds \(parameter.elementType.rawValue) values without a format")
      }
      quantized[key] = (parameter, q)
      floatGraph.parameters[key] = Parameter(shape: parameter.shape, kind: parameter.kind, value: dequantize(data, q))
    }
    var m = try ONNXExporter.model(floatGraph, options: ONNXExportOptions(opset: opset))
    var g = m.graph
    var rename: [String: String] = [:]
    var qdq: [Onnx_NodeProto] = [], extra: [Onnx_TensorProto] = []
    for input in graph.inputs {
      guard let q = table[input.name] else { throw ONNXExportError(input.name, "the graph input has no format") }
      let dq = "\(input.name)/dequantized"
      rename[input.name] = dq
      let pair = quantizePair(input.name, into: dq, q)
      qdq += pair.nodes
      extra += pair.initializers
    }
    var nodes: [Onnx_NodeProto] = qdq
    let nodeOutputs = Set(graph.nodes.flatMap(\.outputs))
    for var node in g.node {
      node.input = node.input.map { rename[$0] ?? $0 }
      var pairs: [Onnx_NodeProto] = []
      for (i, output) in node.output.enumerated() where nodeOutputs.contains(output) {
        guard let q = table[output] else { continue }
        node.output[i] = "\(output)/float"
        let pair = quantizePair(node.output[i], into: output, q)
        pairs += pair.nodes
        extra += pair.initializers
      }
      nodes.append(node)
      nodes += pairs
    }
    g.initializer.removeAll { quantized[$0.name] != nil }
    for key in quantized.keys.sorted() {
      guard let (parameter, q) = quantized[key], let data = parameter.data else { continue }
      let lowered = try dequantizeNode(key, data: data, shape: parameter.shape, q)
      nodes.insert(lowered.node, at: 0)
      extra += lowered.initializers
    }
    g.node = nodes
    g.initializer += extra
    m.graph = g
    return m
  }

  /// `QuantizeLinear(value) → DequantizeLinear → output` with the value's uint8 format.
  static func quantizePair(_ value: String, into output: String, _ q: TensorQuantization) -> (
    nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto]
  ) {
    let base = output.hasSuffix("/dequantized") ? String(output.dropLast("/dequantized".count)) : output
    let (scale, zero, codes) = ("\(base).scale", "\(base).zero_point", "\(base)/quantized")
    let initializers = [
      TensorProtoCoding.proto(name: scale, float: Tensor(scalar: Float(q.scale))),
      TensorProtoCoding.proto(name: zero, type: .uint8, values: [q.zeroPoint], shape: []),
    ]
    let nodes = [
      ONNXBuilding.node("QuantizeLinear", name: "\(base)/quantize", inputs: [value, scale, zero], outputs: [codes]),
      ONNXBuilding.node(
        "DequantizeLinear", name: "\(base)/dequantize", inputs: [codes, scale, zero], outputs: [output]),
    ]
    return (nodes, initializers)
  }

  /// `DequantizeLinear(<key>.quantized, scales, zero points, axis 0) → <key>` for an integer
  /// weight or bias.
  static func dequantizeNode(_ key: String, data: ParameterData, shape: [Int], _ q: TensorQuantization) throws -> (
    node: Onnx_NodeProto, initializers: [Onnx_TensorProto]
  ) {
    let codes: [Int], type: TensorProtoCoding.DataType
    switch data {
    case let .int8(t): (codes, type) = (t.scalars.map(Int.init), .int8)
    case let .int32(t): (codes, type) = (t.scalars.map(Int.init), .int32)
    default:
      throw ONNXExportError("parameter \(key)", "QDQ writes int8 weights and int32 biases, not \(data.elementType)")
    }
    let channels = q.scales.count
    let perChannel = q.axis != nil && channels > 1
    let scaleShape = perChannel ? [channels] : [], count = perChannel ? channels : 1
    let initializers = [
      TensorProtoCoding.proto(name: "\(key).quantized", type: type, values: codes, shape: shape),
      TensorProtoCoding.proto(
        name: "\(key).scale", float: Tensor(shape: scaleShape, scalars: q.scales.prefix(count).map { Float($0) })),
      TensorProtoCoding.proto(
        name: "\(key).zero_point", type: type, values: Array(q.zeroPoints.prefix(count)), shape: scaleShape),
    ]
    let attributes = perChannel ? [ONNXBuilding.attribute("axis", int: q.axis ?? 0)] : []
    let node = ONNXBuilding.node(
      "DequantizeLinear", name: "\(key)/dequantize", inputs: ["\(key).quantized", "\(key).scale", "\(key).zero_point"],
      outputs: [key], attributes: attributes)
    return (node, initializers)
  }

  /// The real values of integer parameter data.
  static func dequantize(_ data: ParameterData, _ q: TensorQuantization) -> Tensor<Float> {
    let codes: [Int]
    switch data {
    case let .float32(t): return t
    case let .int8(t): codes = t.scalars.map(Int.init)
    case let .uint8(t): codes = t.scalars.map(Int.init)
    case let .int16(t): codes = t.scalars.map(Int.init)
    case let .int32(t): codes = t.scalars.map(Int.init)
    }
    return Tensor(
      shape: data.shape,
      scalars: codes.indices.map { q.dequantize(codes[$0], channel: q.channel(ofFlatIndex: $0, shape: data.shape)) })
  }
}
