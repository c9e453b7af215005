import Foundation
import Graph
import GraphFixtures
import Tensors
import XCTest

@testable import ONNX

/// Float export: every zoo model (and a graph using every op) passes `onnx.checker` with the
/// full check, and ONNX Runtime computes what Graph's reference evaluation computes on real
/// images, within 1e-4 relative.
final class ONNXExportTests: XCTestCase {
  /// One model to cross-check: its graph, the export options and the input fed.
  struct Case {
    var label: String
    var graph: ModelGraph
    var options: ONNXExportOptions
    var input: Tensor<Float>
  }

  func cases() throws -> [Case] {
    var cases: [Case] = []
    for name in ModelZoo.names {
      let graph = ONNXTestSupport.withWeights(try ModelZoo.graph(name))
      cases.append(
        Case(label: name, graph: graph, options: ONNXExportOptions(), input: try ONNXTestSupport.realInput(for: graph)))
    }
    let tiny = ONNXTestSupport.withWeights(try ModelZoo.graph("mobilenet-tiny"))
    let tinyInput = try ONNXTestSupport.realInput(for: tiny)
    cases.append(
      Case(
        label: "mobilenet-tiny-folded", graph: tiny, options: ONNXExportOptions(foldBatchNorm: true), input: tinyInput))
    cases.append(
      Case(label: "mobilenet-tiny-opset21", graph: tiny, options: ONNXExportOptions(opset: 21), input: tinyInput))
    let every = ONNXTestSupport.withWeights(try Fixtures.everyOp())
    cases.append(
      Case(label: "every-op", graph: every, options: ONNXExportOptions(), input: Fixtures.input(for: every)["image"]!))
    return cases
  }

  func testZooModelsPassTheCheckerAndMatchONNXRuntime() throws {
    try ONNXTestSupport.requirePython(
      ["onnx", "onnxruntime", "numpy"], for: "the ONNX checker and Runtime parity check")
    let folder = try ONNXTestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let all = try cases()
    var jobs: [[String: String]] = []
    for c in all {
      let model = folder.appendingPathComponent("\(c.label).onnx"),
        input = folder.appendingPathComponent("\(c.label).npy")
      try ONNXExporter.export(c.graph, options: c.options).write(to: model)
      try ONNXTestSupport.writeNPY(c.input, to: input)
      jobs.append(["model": model.path, "input": input.path, "outputs": folder.appendingPathComponent(c.label).path])
    }
    let jobFile = folder.appendingPathComponent("jobs.json")
    try JSONSerialization.data(withJSONObject: jobs).write(to: jobFile)
    let result = ONNXTestSupport.run([ONNXTestSupport.fixtures.appendingPathComponent("ort_run.py").path, jobFile.path])
    XCTAssertEqual(result.status, 0, "onnx.checker or ONNX Runtime failed:\n\(result.err)")
    guard result.status == 0 else { return }
    for c in all {
      let ours = try c.graph.evaluate(inputs: [c.graph.inputs[0].name: c.input])
      for (i, output) in c.graph.outputs.enumerated() {
        let theirs = try ONNXTestSupport.readNPY(folder.appendingPathComponent("\(c.label).\(i).npy"))
        let reference = try XCTUnwrap(ours[output.name])
        XCTAssertEqual(theirs.shape, reference.shape, "\(c.label) output \(output.name)")
        let error = ONNXTestSupport.relativeError(theirs, reference)
        XCTAssertLessThanOrEqual(
          error, 1e-4, "\(c.label) output \(output.name): ONNX Runtime differs by \(error) relative")
        XCTAssertGreaterThan(
          reference.scalars.map { abs($0) }.max() ?? 0, 0, "\(c.label): a zero output checks nothing")
      }
    }
  }

  /// The file's structure, read back with the generated messages: names, opset, initializers.
  func testExportWritesNamedNodesInitializersAndOpset() throws {
    let graph = ONNXTestSupport.withWeights(try Fixtures.everyOp())
    let model = try Onnx_ModelProto(
      serializedBytes: try ONNXExporter.export(graph, options: ONNXExportOptions(opset: 17)))
    XCTAssertEqual(model.opsetImport.first?.version, 17)
    XCTAssertEqual(model.irVersion, 8)
    XCTAssertEqual(model.graph.input.map(\.name), ["image"])
    XCTAssertEqual(model.graph.output.map(\.name), ["out"])
    XCTAssertEqual(model.graph.input[0].type.tensorType.shape.dim.map(\.dimParam), ["N", "", "", ""])
    let ops = Dictionary(model.graph.node.map { ($0.name, $0.opType) }, uniquingKeysWith: { a, _ in a })
    XCTAssertEqual(ops["c1"], "Conv")
    XCTAssertEqual(ops["bn1"], "BatchNormalization")
    XCTAssertEqual(ops["r6"], "Clip")
    XCTAssertEqual(ops["up"], "Resize")
    XCTAssertEqual(ops["d"], "Gemm")
    XCTAssertEqual(ops["dr"], "Identity")
    XCTAssertEqual(ops["l2"], "Div")
    let conv = try XCTUnwrap(model.graph.node.first { $0.name == "dw" })
    XCTAssertEqual(conv.attr("group")?.i, 4)
    XCTAssertEqual(conv.ints("dilations"), [2, 2])
    XCTAssertEqual(conv.ints("pads"), [2, 2, 2, 2])
    let weight = try XCTUnwrap(model.graph.initializer.first { $0.name == "c1.weight" })
    let stored = try TensorProtoCoding.constant(weight, what: "initializer")
    XCTAssertEqual(stored.shape, [4, 3, 3, 3])
    XCTAssertEqual(stored.floatTensor, graph.parameters["c1.weight"]?.value)
    let folded = try Onnx_ModelProto(
      serializedBytes: try ONNXExporter.export(graph, options: ONNXExportOptions(foldBatchNorm: true)))
    XCTAssertFalse(folded.graph.node.contains { $0.opType == "BatchNormalization" })
  }

  func testExportRefusesGraphsWithoutFloatWeights() throws {
    let graph = try Fixtures.everyOp()
    XCTAssertThrowsError(try ONNXExporter.export(graph)) { error in
      XCTAssertEqual(
        "\(error)",
        "Cannot export node c1 to ONNX: parameter c1.weight has no value; the float export needs float32 weights (load a trained model)."
      )
    }
    XCTAssertThrowsError(try ONNXExporter.export(graph, options: ONNXExportOptions(opset: 11))) { error in
      XCTAssertTrue("\(error)".contains("opset 11 is not supported"), "\(error)")
    }
  }
}
