import Foundation
import Graph
import GraphFixtures
import K210
import ONNX
import Support
import XCTest

/// Workbench's K210 partition and memory estimate against nncase 1.9's own compiler, on the
/// same model: our ONNX export of the shipped tiny YOLO (`tiny-yolo-shapes`, half width) is
/// compiled by nncase for the K210 (`scripts/nncase_partition.py`: PTQ on random images,
/// `dump_asm`), and the ops nncase emitted — KPU convolutions and CPU ops — and its memory
/// summary are compared with ``K210Check``.
///
/// Runs when `WORKBENCH_NNCASE_PYTHON` names a Python with nncase 1.9 (`make test` sets it when
/// bootstrap installed the venv), else it is skipped.
final class NNCasePartitionTests: XCTestCase {
  func testPartitionAndMemoryAgreeWithNNCase() throws {
    guard let python = ProcessInfo.processInfo.environment["WORKBENCH_NNCASE_PYTHON"], !python.isEmpty else {
      throw XCTSkip("set WORKBENCH_NNCASE_PYTHON to a Python with nncase 1.9 (k210.md §13) to compare with nncase")
    }
    for size in [128, 96] {
      let graph = Fixtures.withValues(
        try ModelZoo.graph(
          "tiny-yolo-shapes", options: BuildOptions(width: 0.5, classes: 3, inputSize: [size, size])), seed: 3)
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-nncase-part-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let onnx = dir.appendingPathComponent("yolo.onnx")
      try ONNXExporter.export(graph, options: ONNXExportOptions(opset: 13, foldBatchNorm: true)).write(to: onnx)
      let out = dir.appendingPathComponent("partition.json")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: python)
      process.arguments = [
        WorkbenchProcess.root.appendingPathComponent("scripts/nncase_partition.py").path, onnx.path, out.path,
      ]
      try process.run()
      process.waitUntilExit()
      XCTAssertEqual(process.terminationStatus, 0, "nncase_partition.py failed at \(size)")
      let result = try JSONValue.parse(Data(contentsOf: out), file: "partition.json")
      guard case .array(let opValues)? = result["ops"] else { return XCTFail("no ops") }
      let ops = opValues.compactMap(\.stringValue).map {
        $0.split(separator: "]").first.map { String($0.dropFirst()) } ?? ""
      }
      let check = try K210Check(graph)
      let context = "size \(size): nncase ops \(ops), memory \(result["memory"] ?? .null)"
      // the same convolutions go to the KPU (BN, activation and 2×2/2 pools fused)
      XCTAssertEqual(ops.filter { $0 == "KPUConv2D" }.count, check.count(on: .kpu), context)
      // our CPU ops are nncase's: the stride-1 max pool as ReduceWindow2D, the upsample as
      // ResizeImage; nncase writes the concat's inputs in place (no Concat op), as our
      // concat-elimination pass does
      let ours = check.layers.filter { $0.processor == .cpu }.compactMap { graph.node(named: $0.name)?.op }
      XCTAssertEqual(ours, [.maxPool, .upsample, .concat], context)
      XCTAssertEqual(ops.filter { $0 == "ReduceWindow2D" }.count, 1, context)
      XCTAssertEqual(ops.filter { $0 == "ResizeImage" }.count, 1, context)
      XCTAssertFalse(ops.contains("Concat"), context)
      // maps below 4×4 (the 96×96 model's 3×3 maps) are padded and cropped on the CPU by both
      let small = check.layers.contains { $0.notes.contains { $0.hasPrefix("map smaller than 4×4") } }
      XCTAssertEqual(small, size == 96, context)
      XCTAssertEqual(ops.contains("Pad"), small, context)
      XCTAssertEqual(ops.contains("Copy"), small, context)
      // the model's parameter memory (uint8 weights, BN words, activation tables): nncase's
      // MODEL section also holds the stackvm and k210 code, a few KB
      let model = try XCTUnwrap(result["memory"]?["MODEL"]?.doubleValue)
      XCTAssertEqual(Double(check.modelBytes) / model, 1, accuracy: 0.02, context)
      XCTAssertLessThanOrEqual(Double(check.modelBytes), model, context)
    }
  }
}
