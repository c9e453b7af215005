import Foundation
import Graph
import GraphFixtures
import Tensors
import XCTest

@testable import ONNX

/// Import: PyTorch models exported by torch.onnx (committed fixtures, made by
/// Fixtures/make_fixtures.py) compute PyTorch's outputs, and export → import gives back the
/// same graph and the same numbers.
final class ONNXImportTests: XCTestCase {
  static let fixtures: [(model: String, opsets: [Int], outputs: [String])] = [
    ("face-descriptor", [11, 13], ["descriptor"]),
    ("face-descriptor-static", [13], ["descriptor"]),
    ("mobilenet-tiny", [11, 13, 17], ["logits"]),
    ("tiny-yolo", [11, 13], ["head1", "head2"]),
  ]

  func testPyTorchExportsComputePyTorchsOutputs() throws {
    for fixture in Self.fixtures {
      // The static export (batch fixed at 2, baked into its Reshape) shares the model's data.
      let data = fixture.model.replacingOccurrences(of: "-static", with: "")
      let input = try ONNXTestSupport.readNPY(ONNXTestSupport.fixtures.appendingPathComponent("\(data).input.npy"))
      for opset in fixture.opsets {
        let label = "\(fixture.model)-opset\(opset)"
        let graph = try ONNXImporter.importModel(
          contentsOf: ONNXTestSupport.fixtures.appendingPathComponent("\(label).onnx").path)
        XCTAssertEqual(graph.outputs.map(\.name), fixture.outputs, label)
        XCTAssertEqual(graph.name, label, "PyTorch's placeholder graph name gives way to the file's")
        let ours = try graph.evaluate(inputs: [graph.inputs[0].name: input])
        for output in fixture.outputs {
          let suffix = fixture.outputs.count == 1 ? "" : ".\(output)"
          let expected = try ONNXTestSupport.readNPY(
            ONNXTestSupport.fixtures.appendingPathComponent("\(data).output\(suffix).npy"))
          let value = try XCTUnwrap(ours[output], "\(label): no output \(output)")
          let error = ONNXTestSupport.relativeError(value, expected)
          XCTAssertLessThanOrEqual(error, 1e-4, "\(label) \(output): differs from PyTorch by \(error) relative")
        }
      }
    }
  }

  /// What the exporter's patterns became: the view() flatten, F.normalize, the BatchNorm after a
  /// concat, ZeroPad2d folded into the depthwise conv, ReLU6 from Clip, the nearest upsample.
  func testPyTorchPatternsBecomeWorkbenchOps() throws {
    func ops(_ label: String) throws -> [OpKind] {
      try ONNXImporter.importModel(contentsOf: ONNXTestSupport.fixtures.appendingPathComponent("\(label).onnx").path)
        .nodes.map(\.op)
    }
    let face = try ops("face-descriptor-opset11")
    XCTAssertEqual(face.filter { $0 == .conv }.count, 11)
    XCTAssertEqual(face.suffix(4), [.globalAvgPool, .flatten, .dense, .l2Normalize])
    XCTAssertEqual(face.filter { $0 == .batchNorm }.count, 1)
    XCTAssertFalse(face.contains(.dropout) || face.contains(.identity))
    let mobile = try ONNXImporter.importModel(
      contentsOf: ONNXTestSupport.fixtures.appendingPathComponent("mobilenet-tiny-opset13.onnx").path)
    XCTAssertEqual(mobile.nodes.filter { $0.op == .relu6 }.count, 5)
    let depthwise = try XCTUnwrap(mobile.nodes.first { $0.op == .conv && $0.int("groups") == 16 })
    XCTAssertEqual(depthwise.ints("padding"), [0, 0, 1, 1])
    XCTAssertEqual(depthwise.ints("stride"), [2, 2])
    let pool = try XCTUnwrap(mobile.nodes.first { $0.op == .avgPool })
    XCTAssertTrue(pool.bool("countIncludePad"))
    XCTAssertEqual(try ops("tiny-yolo-opset11").filter { $0 == .upsample }.count, 1)
  }

  func testExportThenImportGivesTheSameGraphAndNumbers() throws {
    var graphs = try ModelZoo.names.map { ONNXTestSupport.withWeights(try ModelZoo.graph($0)) }
    graphs.append(ONNXTestSupport.withWeights(try Fixtures.everyOp()))
    for graph in graphs {
      let back = try ONNXImporter.importModel(try ONNXExporter.export(graph))
      XCTAssertEqual(back.name, graph.name)
      XCTAssertEqual(back.inputs, graph.inputs, graph.name)
      XCTAssertEqual(Self.structure(back), Self.structure(graph), graph.name)
      XCTAssertEqual(back.parameters, graph.parameters, "\(graph.name): parameters differ")
      let roles = back.outputs.map {
        [$0.role.rawValue, "\($0.anchors ?? [])", "\($0.numClasses ?? 0)", "\($0.stride ?? 0)"]
      }
      XCTAssertEqual(
        roles,
        graph.outputs.map { [$0.role.rawValue, "\($0.anchors ?? [])", "\($0.numClasses ?? 0)", "\($0.stride ?? 0)"] })
      let x = try ONNXTestSupport.realInput(for: graph)
      let ours = try graph.evaluate(inputs: [graph.inputs[0].name: x])
      let theirs = try back.evaluate(inputs: [back.inputs[0].name: x])
      for (a, b) in zip(graph.outputs, back.outputs) {
        XCTAssertEqual(theirs[b.name], ours[a.name], "\(graph.name): output \(a.name) changed in the round trip")
      }
    }
  }

  /// Nodes with Dropout and Identity removed (the importer drops them): name, op, inputs and
  /// every schema attribute's effective value.
  static func structure(_ graph: ModelGraph) -> [String] {
    var alias: [String: String] = [:]
    func resolve(_ v: String) -> String { alias[v].map(resolve) ?? v }
    var lines: [String] = []
    for node in graph.nodes {
      if node.op == .dropout || node.op == .identity {
        alias[node.outputs[0]] = node.inputs[0]
        continue
      }
      let attributes = node.op.semantics.schema.attributes.map {
        "\($0.name)=\(node.attribute($0.name).map { "\($0)" } ?? "-")"
      }
      lines.append(
        "\(node.name) \(node.op.rawValue)(\(node.inputs.map(resolve).joined(separator: ", "))) \(attributes.joined(separator: " "))"
      )
    }
    return lines
  }
}
