import Foundation
import Graph
import Tensors
import XCTest

@testable import ONNX

/// Files the importer cannot take give a sentence naming the node, the op and what is
/// supported, or saying what is wrong with the file; never a crash or a different model.
final class ONNXImportErrorTests: XCTestCase {
  func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: ONNXTestSupport.fixtures.appendingPathComponent(name))
  }

  func message(_ data: Data) -> String {
    do {
      _ = try ONNXImporter.importModel(data)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  /// A one-node model on a [N, 3, 4, 4] input, with `initializers`.
  func model(_ node: Onnx_NodeProto, initializers: [Onnx_TensorProto] = [], opset: Int64 = 13) throws -> Data {
    var m = Onnx_ModelProto()
    m.irVersion = 7
    var o = Onnx_OperatorSetIdProto()
    o.version = opset
    m.opsetImport = [o]
    var g = Onnx_GraphProto()
    g.name = "tiny"
    g.input = [ONNXBuilding.valueInfo("x", shape: [1, 3, 4, 4])]
    g.output = [ONNXBuilding.valueInfo(node.output[0], shape: [1, 3, 4, 4])]
    g.node = [node]
    g.initializer = initializers
    m.graph = g
    return try m.serializedBytes()
  }

  func testUnsupportedOpNamesNodeOpAndTheSupportedOps() throws {
    let text = message(try fixture("gelu-opset20.onnx"))
    XCTAssertTrue(
      text.hasPrefix("node /act/Gelu: op Gelu is not supported; supported ops: Conv, BatchNormalization, Relu"), text)
    XCTAssertTrue(text.contains("LeakyRelu, Sigmoid, Tanh, Clip"), text)
  }

  func testUnsupportedAttributesAreNamed() throws {
    let scalar = { (name: String, v: Float) in TensorProtoCoding.proto(name: name, float: .init(scalar: v)) }
    let clip = ONNXBuilding.node("Clip", name: "clip4", inputs: ["x", "lo", "hi"], outputs: ["y"])
    XCTAssertEqual(
      message(try model(clip, initializers: [scalar("lo", 0), scalar("hi", 4)])),
      "node clip4: Clip is supported only as ReLU (min 0) or ReLU6 (min 0, max 6), got max 4.0.")
    let pad = ONNXBuilding.node(
      "Pad", name: "reflect", inputs: ["x", "pads"], outputs: ["y"],
      attributes: [ONNXBuilding.attribute("mode", string: "reflect")])
    XCTAssertEqual(
      message(try model(pad, initializers: [TensorProtoCoding.proto(name: "pads", int64: [0, 0, 1, 1, 0, 0, 1, 1])])),
      "node reflect: Pad has mode reflect; only zero (constant) padding before a Conv is supported.")
    let lonePad = ONNXBuilding.node("Pad", name: "pad", inputs: ["x", "pads"], outputs: ["y"])
    let padThenRelu = try model(
      lonePad, initializers: [TensorProtoCoding.proto(name: "pads", int64: [0, 0, 1, 1, 0, 0, 1, 1])])
    XCTAssertEqual(
      message(padThenRelu),
      "The imported graph is not valid: graph output 'y' is a Pad, which is supported only directly before a Conv.")
    let resize = ONNXBuilding.node(
      "Resize", name: "up", inputs: ["x", "", "scales"], outputs: ["y"],
      attributes: [ONNXBuilding.attribute("mode", string: "linear")])
    XCTAssertEqual(
      message(
        try model(
          resize,
          initializers: [TensorProtoCoding.proto(name: "scales", float: .init(shape: [4], scalars: [1, 1, 2, 2]))])),
      "node up: Resize has mode linear; only nearest is supported.")
    let pool = ONNXBuilding.node(
      "MaxPool", name: "mp", inputs: ["x"], outputs: ["y"],
      attributes: [
        ONNXBuilding.attribute("kernel_shape", ints: [2, 2]), ONNXBuilding.attribute("dilations", ints: [2, 2]),
      ])
    XCTAssertEqual(
      message(try model(pool)), "node mp: MaxPool is supported without dilation and with storage_order 0 only.")
    let odd = ONNXBuilding.node(
      "Relu", name: "r", inputs: ["x"], outputs: ["y"], attributes: [ONNXBuilding.attribute("color", int: 3)])
    XCTAssertEqual(
      message(try model(odd)), "node r: Relu has attribute 'color', which is not supported (supported: none).")
  }

  func testMalformedFilesGetASentence() throws {
    XCTAssertTrue(
      message(Data("this is not a model".utf8)).hasPrefix("The file is not a usable ONNX model: "),
      message(Data("this is not a model".utf8)))
    let valid = try fixture("mobilenet-tiny-opset13.onnx")
    let truncated = message(valid.prefix(valid.count * 2 / 3))
    XCTAssertTrue(truncated.hasPrefix("The file is not a usable ONNX model: "), truncated)
    XCTAssertEqual(
      message(Data()), "The file is not a usable ONNX model: it has no graph with nodes (is it an ONNX model file?).")

    var m = try Onnx_ModelProto(serializedBytes: valid)
    let conv = try XCTUnwrap(m.graph.node.first { $0.opType == "Conv" })
    m.graph.initializer.removeAll { $0.name == conv.input[1] }
    XCTAssertEqual(
      message(try m.serializedBytes()),
      "node \(conv.name) (Conv) reads '\(conv.input[1])', which is neither a graph input, an initializer nor the output of an earlier node (the file is incomplete or not topologically sorted)."
    )

    var dangling = try Onnx_ModelProto(serializedBytes: valid)
    dangling.graph.node[dangling.graph.node.count - 1].input[0] = "nowhere"
    let last = dangling.graph.node[dangling.graph.node.count - 1]
    XCTAssertEqual(
      message(try dangling.serializedBytes()),
      "node \(last.name) (\(last.opType)) reads 'nowhere', which is neither a graph input, an initializer nor the output of an earlier node (the file is incomplete or not topologically sorted)."
    )

    var external = try Onnx_ModelProto(serializedBytes: valid)
    external.graph.initializer[0].dataLocation = .external
    XCTAssertTrue(message(try external.serializedBytes()).contains("keeps its values in an external file"))

    var short = try Onnx_ModelProto(serializedBytes: valid)
    short.graph.initializer[0].rawData = short.graph.initializer[0].rawData.prefix(8)
    XCTAssertTrue(message(try short.serializedBytes()).contains("the file may be truncated"))

    var newer = try Onnx_ModelProto(serializedBytes: valid)
    newer.opsetImport[0].version = 30
    XCTAssertEqual(
      message(try newer.serializedBytes()),
      "The model uses operator set ai.onnx version 30; this importer reads versions 9–21.")
  }

  /// Damaged copies of real files (bytes changed at seeded random places, cut at many lengths)
  /// import or fail with an error; none may trap.
  func testDamagedFilesNeverCrash() throws {
    var rng = RandomStream(seed: 17)
    for name in ["mobilenet-tiny-opset11.onnx", "face-descriptor-opset13.onnx"] {
      let valid = try fixture(name)
      var outcomes: [String: Int] = [:]
      for round in 0..<300 {
        var bytes = [UInt8](valid)
        for _ in 0..<(1 + round % 4) {
          let position = rng.nextInt(below: bytes.count)
          bytes[position] = UInt8(truncatingIfNeeded: rng.next())
        }
        let text = message(Data(bytes))
        outcomes[text == "no error" ? "imported" : "error", default: 0] += 1
      }
      for cut in stride(from: 0, to: valid.count, by: max(valid.count / 60, 1)) {
        XCTAssertNotEqual(message(valid.prefix(cut)), "no error", "\(name) cut at \(cut) bytes")
      }
      XCTAssertGreaterThan(outcomes["error", default: 0], 0, name)
    }
  }

  /// Structurally damaged models (ops swapped, inputs dropped or rewired, attributes and
  /// initializer dimensions changed at seeded random) import or fail with an error; none may trap.
  func testStructurallyDamagedModelsNeverCrash() throws {
    var rng = RandomStream(seed: 23)
    let ops = [
      "Conv", "Relu", "Clip", "MaxPool", "AveragePool", "Gemm", "MatMul", "Add", "Concat", "Flatten", "Reshape",
      "Resize", "Pad", "Gather", "Unsqueeze", "Slice", "Shape", "Expand", "ReduceL2", "Div", "Transpose", "Squeeze",
      "BatchNormalization", "Identity", "Cast", "ConstantOfShape", "Range", "Where",
    ]
    var imported = 0, failed = 0
    for name in ["mobilenet-tiny-opset11.onnx", "face-descriptor-opset13.onnx", "tiny-yolo-opset11.onnx"] {
      let valid = try Onnx_ModelProto(serializedBytes: try fixture(name))
      for _ in 0..<150 {
        var m = valid
        for _ in 0..<3 {
          let i = rng.nextInt(below: m.graph.node.count)
          switch rng.nextInt(below: 6) {
          case 0: m.graph.node[i].opType = ops[rng.nextInt(below: ops.count)]
          case 1: if !m.graph.node[i].input.isEmpty { m.graph.node[i].input.removeLast() }
          case 2:
            let j = rng.nextInt(below: m.graph.node.count)
            if !m.graph.node[i].input.isEmpty { m.graph.node[i].input[0] = m.graph.node[j].output[0] }
          case 3:
            for k in m.graph.node[i].attribute.indices {
              m.graph.node[i].attribute[k].i = Int64(rng.nextInt(below: 9)) - 4
              m.graph.node[i].attribute[k].ints = m.graph.node[i].attribute[k].ints.map { _ in
                Int64(rng.nextInt(below: 9)) - 4
              }
            }
          case 4:
            let k = rng.nextInt(below: m.graph.initializer.count)
            if !m.graph.initializer[k].dims.isEmpty { m.graph.initializer[k].dims[0] = Int64(rng.nextInt(below: 5)) }
          default: m.graph.node[i].output.append("extra")
          }
        }
        if message(try m.serializedBytes()) == "no error" { imported += 1 } else { failed += 1 }
      }
    }
    XCTAssertGreaterThan(failed, 100)
  }
}
