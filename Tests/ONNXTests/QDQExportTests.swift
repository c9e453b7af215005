import Foundation
import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

@testable import ONNX

/// QDQ export of the int8 scheme: the file passes the checker, and ONNX Runtime (integer
/// kernels after its QDQ fusion) computes our integer executor's outputs to within a stated
/// number of output steps (LSBs).
final class QDQExportTests: XCTestCase {
  /// A BatchNorm-folded zoo model quantized by the int8 scheme, calibrated on the real input.
  func quantized(_ name: String) throws -> (model: QuantizedModel, input: Tensor<Float>) {
    let graph = try FoldBatchNorm.run(ONNXTestSupport.withWeights(try ModelZoo.graph(name)))
    let x = try ONNXTestSupport.realInput(for: graph)
    let stats = try Calibrator.collect(graph, batches: [[graph.inputs[0].name: x]])
    let ranges = try Calibrator.ranges(stats, settings: CalibrationSettings())
    return (try SchemeQuantization.quantize(graph, scheme: .int8, ranges: ranges), x)
  }

  func testQDQFileStructure() throws {
    let (model, _) = try quantized("mobilenet-tiny")
    let proto = try QDQExporter.proto(model, opset: 13)
    let ops = proto.graph.node.map(\.opType)
    XCTAssertEqual(ops.filter { $0 == "Conv" }.count, model.graph.nodes.filter { $0.op == .conv }.count)
    let weight = try XCTUnwrap(proto.graph.initializer.first { $0.name.hasSuffix(".weight.quantized") })
    XCTAssertEqual(weight.dataType, Int32(Onnx_TensorProto.DataType.int8.rawValue))
    let bias = try XCTUnwrap(proto.graph.initializer.first { $0.name.hasSuffix(".bias.quantized") })
    XCTAssertEqual(bias.dataType, Int32(Onnx_TensorProto.DataType.int32.rawValue))
    let dq = try XCTUnwrap(proto.graph.node.first { $0.output == [String(weight.name.dropLast(".quantized".count))] })
    XCTAssertEqual(dq.opType, "DequantizeLinear")
    XCTAssertEqual(dq.attr("axis")?.i, 0)
    XCTAssertFalse(proto.graph.initializer.contains { $0.dataType == 1 && $0.name.hasSuffix(".weight") })
    // A fused ReLU6: no Q/DQ between the conv and its activation.
    for (layer, activation) in model.fusedActivations {
      let conv = try XCTUnwrap(proto.graph.node.first { $0.name == layer })
      XCTAssertTrue(proto.graph.node.contains { $0.name == activation && $0.input.first == conv.output.first })
    }
  }

  func testONNXRuntimeMatchesTheIntegerExecutor() throws {
    try ONNXTestSupport.requirePython(["onnx", "onnxruntime", "numpy"], for: "the QDQ Runtime parity check")
    let folder = try ONNXTestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var jobs: [[String: String]] = []
    var cases: [(String, QuantizedModel, Tensor<Float>)] = []
    for name in ["mobilenet-tiny", "tiny-yolo", "squeezenet1.1-reid"] {
      let (model, x) = try quantized(name)
      let file = folder.appendingPathComponent("\(name).onnx"), input = folder.appendingPathComponent("\(name).npy")
      try QDQExporter.export(model).write(to: file)
      try ONNXTestSupport.writeNPY(x, to: input)
      jobs.append(["model": file.path, "input": input.path, "outputs": folder.appendingPathComponent(name).path])
      cases.append((name, model, x))
    }
    let jobFile = folder.appendingPathComponent("jobs.json")
    try JSONSerialization.data(withJSONObject: jobs).write(to: jobFile)
    let result = ONNXTestSupport.run([ONNXTestSupport.fixtures.appendingPathComponent("ort_run.py").path, jobFile.path])
    XCTAssertEqual(result.status, 0, "onnx.checker or ONNX Runtime failed:\n\(result.err)")
    guard result.status == 0 else { return }
    for (name, model, x) in cases {
      let ours = try SchemeQuantization.executor(for: model).run(inputs: [model.graph.inputs[0].name: x])
      for (i, output) in model.graph.outputs.enumerated() {
        let theirs = try ONNXTestSupport.readNPY(folder.appendingPathComponent("\(name).\(i).npy"))
        let reference = try XCTUnwrap(ours[output.name])
        let scale = Float(try XCTUnwrap(model.table[output.name]).scale)
        let steps = zip(theirs.scalars, reference.scalars).map { Int((abs($0 - $1) / scale).rounded()) }
        let exact = Double(steps.filter { $0 == 0 }.count) / Double(steps.count)
        let within1 = Double(steps.filter { $0 <= 1 }.count) / Double(steps.count)
        print("QDQ \(name) \(output.name): max \(steps.max() ?? 0) LSB, \(exact) exact, \(within1) within 1 LSB")
        XCTAssertEqual(theirs.shape, reference.shape)
        XCTAssertGreaterThanOrEqual(within1, 0.99, "\(name) \(output.name)")
      }
    }
  }
}
