import Foundation
import Graph
import GraphFixtures
import HDF5
import Quantization
import Support
import Tensors
import XCTest

/// `workbench export onnx` and `workbench import onnx`: a model goes out to ONNX and comes back
/// as model.json + weights.h5 that `workbench infer` runs to the same numbers.
final class ONNXCommandTests: XCTestCase {
  func testExportThenImportThenInferGivesTheSameOutputs() throws {
    let dir = URL(fileURLWithPath: try Fixtures.temporaryDirectory())
    defer { try? FileManager.default.removeItem(at: dir) }
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    let model = dir.appendingPathComponent("model.json")
    try JSONEncoder().encode(graph).write(to: model)
    let cli = WorkbenchProcess(cache: dir.appendingPathComponent("cache"))

    let onnx = dir.appendingPathComponent("every-op.onnx")
    let exported = try cli.run(["export", "onnx", model.path, "--out", onnx.path, "--opset", "17"])
    XCTAssertEqual(exported.status, 0, exported.err)
    XCTAssertTrue(exported.out.contains("opset 17"), exported.out)
    let imported = dir.appendingPathComponent("imported")
    let back = try cli.run(["import", "onnx", onnx.path, "--out", imported.path])
    XCTAssertEqual(back.status, 0, back.err)

    let feeds = Fixtures.input(for: graph, batch: 2)
    guard let (name, x) = feeds.first else { return XCTFail("the fixture graph has no input") }
    let expected = try graph.evaluate(inputs: [name: x])
    let npy = dir.appendingPathComponent("in.npy")
    try NPYArray(shape: x.shape, scalars: x.scalars).bytes.write(to: npy)
    for artifact in ["model.json", "weights.h5"] {
      let out = dir.appendingPathComponent("out-\(artifact).h5")
      let r = try cli.run([
        "infer", imported.appendingPathComponent(artifact).path, "--input", npy.path, "--output", out.path,
      ])
      XCTAssertEqual(r.status, 0, r.err)
      let written = try HDF5File.open(out.path)
      defer { try? written.close() }
      // The Identity "out" is dropped on import: the graph output is the L2Normalize "l2".
      XCTAssertEqual(try written.root.dataset("l2").read(as: Float.self), expected["out"]?.scalars, artifact)
    }
  }

  func testImportOfAnUnsupportedModelFailsWithTheNodeNamed() throws {
    let dir = URL(fileURLWithPath: try Fixtures.temporaryDirectory())
    defer { try? FileManager.default.removeItem(at: dir) }
    let gelu = WorkbenchProcess.root.appendingPathComponent("Tests/ONNXTests/Fixtures/gelu-opset20.onnx")
    let cli = WorkbenchProcess(cache: dir.appendingPathComponent("cache"))
    let r = try cli.run(["import", "onnx", gelu.path, "--out", dir.appendingPathComponent("x").path])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.err.contains("node /act/Gelu: op Gelu is not supported; supported ops: Conv"), r.err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x/model.json").path))
  }

  func testQuantizedVariantWritesQDQ() throws {
    let dir = URL(fileURLWithPath: try Fixtures.temporaryDirectory())
    defer { try? FileManager.default.removeItem(at: dir) }
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try Fixtures.everyOp()))
    let stats = try Calibrator.collect(graph, batches: [Fixtures.input(for: graph, batch: 2)])
    let model = try SchemeQuantization.quantize(
      graph, scheme: .int8, ranges: try Calibrator.ranges(stats, settings: CalibrationSettings()))
    let file = dir.appendingPathComponent("quantized.json")
    try JSONEncoder().encode(model).write(to: file)
    let cli = WorkbenchProcess(cache: dir.appendingPathComponent("cache"))
    let onnx = dir.appendingPathComponent("qdq.onnx")
    let r = try cli.run(["export", "onnx", file.path, "--out", onnx.path, "--variant", "quantized"])
    XCTAssertEqual(r.status, 0, r.err)
    let bytes = try Data(contentsOf: onnx)
    for name in ["QuantizeLinear", "DequantizeLinear", "c1.weight.quantized", "c1.bias.quantized"] {
      XCTAssertNotNil(bytes.range(of: Data(name.utf8)), "\(name) is not in the file")
    }
    // A float model is not a quantized model: a sentence, nothing written.
    let float = dir.appendingPathComponent("model.json")
    try JSONEncoder().encode(graph).write(to: float)
    let refused = try cli.run([
      "export", "onnx", float.path, "--out", dir.appendingPathComponent("x.onnx").path, "--variant", "quantized",
    ])
    XCTAssertNotEqual(refused.status, 0)
    XCTAssertTrue(refused.err.contains("is not a quantized model JSON"), refused.err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.onnx").path))
  }
}
