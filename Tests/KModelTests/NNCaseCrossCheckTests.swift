import Foundation
import Graph
import KModel
import Quantization
import Support
import Tensors
import XCTest

/// Workbench's K210 quantization (``K210Executor``) and the V3 simulator against nncase 1.9's
/// own compiler and simulator, on the same float weights and calibration data:
/// `scripts/nncase_k210_crosscheck.py` builds three ONNX models (conv3×3+ReLU→conv1×1;
/// conv3×3/2+ReLU→depthwise 3×3+ReLU→conv1×1; conv3×3+LeakyReLU→conv3×3+ReLU→conv1×1), compiles
/// them for k210 with PTQ (`no_clip`) and runs `nncase.Simulator`. Here the same graphs are
/// calibrated with min/max (nncase's `no_clip`) and run through the executor and through the
/// V3 kmodel written from it.
///
/// Runs when `WORKBENCH_NNCASE_PYTHON` names a Python with nncase 1.9 (see `k210.md` §13:
/// `python3.10 -m venv VENV && VENV/bin/pip install "nncase==1.9.0.20230322" "onnx==1.14.1"
/// "numpy<2" "onnxruntime==1.16.3"`), else it is skipped.
final class NNCaseCrossCheckTests: XCTestCase {
  struct Model {
    var name: String
    var outputShape: [Int]
    var build: (inout GraphBuilder, String) throws -> String
  }

  static let models: [Model] = [
    Model(name: "conv-relu-conv1x1", outputShape: [4, 16, 16]) { b, x in
      let c1 = try b.add(.conv, "c1", [x], conv(8, 3))
      return try b.add(.conv, "c2", [try b.add(.relu, "c1_relu", [c1])], conv(4, 1))
    },
    Model(name: "stride2-depthwise", outputShape: [4, 8, 8]) { b, x in
      let c1 = try b.add(.conv, "c1", [x], conv(8, 3, stride: 2))
      let dw = try b.add(.conv, "dw", [try b.add(.relu, "c1_relu", [c1])], conv(8, 3, groups: 8))
      return try b.add(.conv, "c2", [try b.add(.relu, "dw_relu", [dw])], conv(4, 1))
    },
    Model(name: "leaky", outputShape: [4, 16, 16]) { b, x in
      let c1 = try b.add(.conv, "c1", [x], conv(8, 3))
      let c2 = try b.add(.conv, "c2", [try b.add(.leakyRelu, "c1_leaky", [c1], ["alpha": .float(0.1)])], conv(8, 3))
      return try b.add(.conv, "c3", [try b.add(.relu, "c2_relu", [c2])], conv(4, 1))
    },
  ]

  static func conv(_ out: Int, _ k: Int, stride: Int = 1, groups: Int = 1) -> [String: Attribute] {
    [
      "outChannels": .int(out), "kernel": .ints([k, k]), "padding": .ints([k / 2, k / 2, k / 2, k / 2]),
      "stride": .ints([stride, stride]), "groups": .int(groups),
    ]
  }

  func testExecutorAndV3SimulatorAgreeWithNNCaseSimulator() throws {
    guard let python = ProcessInfo.processInfo.environment["WORKBENCH_NNCASE_PYTHON"], !python.isEmpty else {
      throw XCTSkip("set WORKBENCH_NNCASE_PYTHON to a Python with nncase 1.9 (k210.md §13) to cross-check with nncase")
    }
    Self.interpreter = python
    let dir = NSTemporaryDirectory() + "nncase-crosscheck-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.python([Self.script, dir], in: dir)
    for model in Self.models {
      let result = try compare(model, dir: dir + "/" + model.name)
      print(
        "nncase cross-check \(model.name): executor \(result.executorMismatches)/\(result.count) codes differ"
          + " (max \(result.executorMaxCodeDifference)), V3 simulator \(result.simulatorMismatches)/\(result.count)"
          + ", our V5 in nncase.Simulator \(result.v5Mismatches)/\(result.count)"
          + ", float max |executor − nncase| \(result.maxFloatDifference)")
      XCTAssertEqual(result.v5Mismatches, 0, model.name)
      XCTAssertEqual(result.executorMismatches, 0, model.name)
      XCTAssertEqual(result.simulatorMismatches, 0, model.name)
    }
  }

  /// Our V5 files for graphs with CPU ops between KPU islands (upsample, max pooling, concat,
  /// format changes, a depthwise stride-2 slice) and several outputs, including the shipped
  /// tiny-YOLO (tiny-yolo-shapes, width 0.5, at 128×128 and at yolo.json's 96×96, whose 3×3
  /// maps run padded to 4×4), a graph with 2×2 and 1×1 maps, mobilenet-tiny (global average
  /// pooling and dense in float) and the SqueezeNet face descriptor (squeezenet1.1-reid, width
  /// 0.25, 32×32: valid-padded conv1 sliced, fire concats into max and average pooling, 3×3 and
  /// 1×1 maps padded, the L2 normalisation in float), run in nncase.Simulator: every output
  /// float is bit-identical to our ``KModelV5Simulator``'s on the same input.
  func testOurV5FilesRunIdenticallyInNNCaseSimulator() throws {
    guard let python = ProcessInfo.processInfo.environment["WORKBENCH_NNCASE_PYTHON"], !python.isEmpty else {
      throw XCTSkip("set WORKBENCH_NNCASE_PYTHON to a Python with nncase 1.9 (k210.md §13) to cross-check with nncase")
    }
    Self.interpreter = python
    let dir = NSTemporaryDirectory() + "nncase-v5-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cases: [(String, ModelGraph, UInt64)] = [
      ("cpu-ops", try V5Fixtures.cpuOpsGraph(), 70), ("tiny-yolo-shapes", try V5Fixtures.tinyYOLO(), 90),
      ("mobilenet-tiny", try V5Fixtures.mobilenetTiny(), 30),
      ("tiny-yolo-shapes-96", try V5Fixtures.tinyYOLO(size: 96), 90),
      ("small-maps", try V5Fixtures.smallMapsGraph(), 40),
      ("squeezenet-descriptor", try V5Fixtures.squeezeNetDescriptor(), 50),
    ]
    for (name, graph, seed) in cases {
      let executor = try V3Fixtures.executor(graph, seed: seed)
      let bytes = try KModelV5Writer.bytes(executor)
      let simulator = try KModelV5Simulator(bytes: bytes)
      let images = try (0..<2).map { try V5Fixtures.input(executor, seed: 5 + UInt64($0)).scalars }
      let path = dir + "/\(name)"
      try Data(bytes).write(to: URL(fileURLWithPath: path + ".kmodel"))
      let inputs = NPYArray(shape: [2] + graph.inputs[0].shape.dropFirst(), scalars: images.flatMap { $0 })
      try inputs.bytes.write(to: URL(fileURLWithPath: path + "-inputs.npy"))
      try Self.python(
        [Self.script, "--run", path + ".kmodel", path + "-inputs.npy", path + "-nncase.npy"], in: dir)
      let ours = try images.map { try simulator.run($0) }
      let outputs = graph.outputs.count
      var (count, differing) = (0, 0)
      for k in 0..<outputs {
        let file = outputs == 1 ? path + "-nncase.npy" : path + "-nncase.\(k).npy"
        let theirs = try NPYArray(contentsOf: file).scalars
        let mine = ours.flatMap { $0[k] }
        XCTAssertEqual(theirs.count, mine.count, "\(name) output \(k)")
        count += mine.count
        differing += zip(theirs, mine).filter { $0.bitPattern != $1.bitPattern }.count
      }
      print("nncase V5 cross-check \(name): \(bytes.count)-byte kmodel, \(differing) of \(count) output floats differ")
      XCTAssertGreaterThan(count, 0)
      XCTAssertEqual(differing, 0, name)
    }
  }

  nonisolated(unsafe) static var interpreter = ""
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scripts/nncase_k210_crosscheck.py").path

  /// Runs the nncase Python with `arguments` in `dir` (nncase writes kmodel_info.txt there).
  static func python(_ arguments: [String], in dir: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: interpreter)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw KModelError.badInput("the nncase script failed (\(process.terminationStatus)): \(errText.suffix(2000))")
    }
  }

  struct Result {
    var count = 0, executorMismatches = 0, executorMaxCodeDifference = 0, simulatorMismatches = 0, v5Mismatches = 0
    var maxFloatDifference: Float = 0
  }

  func compare(_ model: Model, dir: String) throws -> Result {
    func npy(_ name: String) throws -> NPYArray { try NPYArray(contentsOf: dir + "/" + name + ".npy") }
    var b = GraphBuilder(name: model.name)
    let x = b.input("image", shape: [1, 3, 16, 16])
    b.output(try model.build(&b, x))
    var graph = try b.finish()
    for key in graph.parameters.keys {
      let a = try npy(key)
      graph.parameters[key]?.value = Tensor(shape: a.shape, scalars: a.scalars)
    }
    let calibration = try npy("calibration"), inputs = try npy("inputs"), expected = try npy("nncase")
    let batch = ["image": Tensor(shape: calibration.shape, scalars: calibration.scalars)]
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: [batch]), settings: CalibrationSettings())
    let executor = try K210Executor(graph, ranges: ranges)
    let output = graph.outputs[0].name
    guard let last = executor.layers[graph.nodes.last?.name ?? ""], let first = executor.layers["c1"] else {
      throw KModelError.badInput("the last and first convolutions are not KPU layers")
    }
    let ours = try XCTUnwrap(
      executor.run(inputs: ["image": Tensor(shape: inputs.shape, scalars: inputs.scalars)])[output]
    ).scalars
    let simulator = try KModelV3Simulator(bytes: try KModelV3Writer.bytes(executor))
    let per = inputs.scalars.count / inputs.shape[0]
    var simulated: [Float] = []
    for i in 0..<inputs.shape[0] {
      let image = inputs.scalars[(i * per)..<((i + 1) * per)].map { first.quantized.input.quantize($0) }
      simulated += try simulator.run(image)[0]
    }
    // our V5 file in nncase.Simulator
    let v5 = dir + "/workbench.kmodel"
    let v5Bytes = try KModelV5Writer.bytes(executor)
    try Data(v5Bytes).write(to: URL(fileURLWithPath: v5))
    let nncaseBytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/model.kmodel")).count
    print("nncase cross-check \(model.name): our V5 file \(v5Bytes.count) bytes, nncase's \(nncaseBytes) bytes")
    try Self.python([Self.script, "--run", v5, dir + "/inputs.npy", dir + "/workbench-v5.npy"], in: dir)
    let v5Outputs = try npy("workbench-v5").scalars
    var r = Result()
    let q = last.quantized.output
    for (i, e) in expected.scalars.enumerated() {
      let (code, mine, sim) = (Int(q.quantize(e)), Int(q.quantize(ours[i])), Int(q.quantize(simulated[i])))
      r.count += 1
      if code != mine { r.executorMismatches += 1 }
      if code != sim { r.simulatorMismatches += 1 }
      if code != Int(q.quantize(v5Outputs[i])) { r.v5Mismatches += 1 }
      r.executorMaxCodeDifference = max(r.executorMaxCodeDifference, abs(code - mine))
      r.maxFloatDifference = max(r.maxFloatDifference, abs(e - ours[i]))
    }
    XCTAssertEqual(r.count, inputs.shape[0] * model.outputShape.reduce(1, *))
    return r
  }
}
