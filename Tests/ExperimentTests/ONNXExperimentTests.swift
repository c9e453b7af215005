import Datasets
import Foundation
import Graph
import ONNX
import Support
import Tensors
import Training
import XCTest

@testable import Experiment

/// `model.onnx` in an experiment: a PyTorch-trained classifier (Experiments/onnx/digits-cnn.onnx,
/// made by scripts/make_onnx_classify.py) goes import → evaluate → quantize → evaluate through the
/// runner with no `train` section, and its float KPIs and logits equal PyTorch's on the same
/// images (the script committed them in digits-cnn.expected.json).
final class ONNXExperimentTests: XCTestCase {
  var scratch: URL!
  static let experiment = RunnerTests.root.appendingPathComponent("Experiments/onnx-classify.json").path
  static let onnx = RunnerTests.root.appendingPathComponent("Experiments/onnx/digits-cnn.onnx")

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-onnx-exp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    Cancellation.set(false)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  var options: Runner.Options {
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return o
  }

  /// The reference numbers computed by scripts/make_onnx_classify.py with PyTorch.
  func expected() throws -> JSONValue {
    let url = RunnerTests.root.appendingPathComponent("Experiments/onnx/digits-cnn.expected.json")
    return try JSONValue.parse(Data(contentsOf: url), file: url.path)
  }

  func testPyTorchModelGoesImportQuantizeEvaluateWithPyTorchsKPIs() throws {
    let reference = try expected()
    let overrides = (reference["test_overrides"]?.arrayValue ?? []).compactMap(\.stringValue)
    XCTAssertFalse(overrides.isEmpty)
    let e = try ExperimentLoader.load(path: Self.experiment, overrides: overrides)
    XCTAssertEqual(e.settings.train.epochs, 0, "no train section: the imported weights are used as they are")
    XCTAssertEqual(e.settings.model.onnx, Self.onnx.standardizedFileURL.path, "relative to the experiment file")
    XCTAssertEqual(e.variants, [.float, .quantized])
    XCTAssertNil(e.document["model"]?["zoo"], "the saved experiment shows no zoo model it never built")
    XCTAssertEqual(e.document["train"]?["epochs"], .number(0))
    let result = try Runner().run(e, options: options)

    // Float KPIs: PyTorch's accuracy and macro F1 on the run's own validation images.
    let metrics = try XCTUnwrap(result.metrics)
    let test = try XCTUnwrap(reference["test"])
    let accuracy = try XCTUnwrap(test["accuracy"]?.doubleValue)
    XCTAssertEqual(metrics.value("accuracy", variant: "float") ?? -1, accuracy, accuracy: 1e-12)
    XCTAssertEqual(
      metrics.value("macro_f1", variant: "float") ?? -1, try XCTUnwrap(test["macro_f1"]?.doubleValue), accuracy: 1e-12)
    XCTAssertGreaterThan(accuracy, 0.85, "the committed model was trained")
    // int8 on a trained model stays close to float.
    let quantized = try XCTUnwrap(metrics.value("accuracy", variant: "quantized"))
    XCTAssertGreaterThan(quantized, accuracy - 0.05)

    // The train stage passed the imported weights through unchanged, and trained nothing.
    let stages = result.runDirectory.appendingPathComponent("stages")
    let imported = try ModelGraph.read(stages.appendingPathComponent("model/model.json"))
    let trained = try ModelGraph.read(stages.appendingPathComponent("train/model.json"))
    XCTAssertEqual(Set(imported.parameters.keys), Set(trained.parameters.keys))
    for (key, p) in imported.parameters {
      XCTAssertEqual(p.value?.scalars, trained.parameters[key]?.value?.scalars, key)
    }
    XCTAssertTrue(FileManager.default.fileExists(atPath: stages.appendingPathComponent("model/weights.h5").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: stages.appendingPathComponent("train/history.json").path))
    XCTAssertEqual(trained.outputs.first?.role, .logits)
    XCTAssertEqual(trained.outputs.first?.numClasses, 10)

    // Logits of the first validation images equal PyTorch's (1e-4 relative to the largest).
    let rows = (reference["test_logits"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.doubleValue) }
    XCTAssertEqual(rows.count, 8)
    let engine = try InferenceEngine.float(trained, random: RandomStream(seed: 0))
    let config = LoaderConfig(feeding: trained, batchSize: rows.count, shuffle: false)
    let loader = try DataLoader(
      path: stages.appendingPathComponent("data/dataset.h5").path, split: "val", config: config,
      random: RandomStream(seed: 0))
    let batch = try XCTUnwrap(try loader.epoch(0).next())
    let out = try XCTUnwrap(try engine.run(["image": batch.images])["logits"])
    XCTAssertEqual(out.shape, [rows.count, 10])
    let scale = rows.joined().map(abs).max() ?? 1
    for (i, row) in rows.enumerated() {
      for (c, v) in row.enumerated() {
        XCTAssertEqual(Double(out.scalars[i * 10 + c]), v, accuracy: 1e-4 * scale, "image \(i) class \(c)")
      }
    }
  }

  /// The imported PyTorch model deploys to the K210 with no other change to the file: k210
  /// quantization, a kmodel V5 scored by the simulator of its bytes (the same accuracy as the
  /// integer executor, which it matches bit for bit), and the frame-pipeline simulation.
  func testImportedModelDeploysToTheK210() throws {
    let overrides = (try expected()["test_overrides"]?.arrayValue ?? []).compactMap(\.stringValue)
    let e = try ExperimentLoader.load(
      path: Self.experiment,
      overrides: overrides + [
        "quantize.scheme=k210", "export.kmodel.version=5", "simulate.k210={}", "evaluate.gates={}",
      ])
    XCTAssertEqual(e.variants, [.float, .quantized, .kmodel])
    let result = try Runner().run(e, options: options)
    let metrics = try XCTUnwrap(result.metrics)
    let float = try XCTUnwrap(metrics.value("accuracy", variant: "float"))
    let quantized = try XCTUnwrap(metrics.value("accuracy", variant: "quantized"))
    XCTAssertEqual(metrics.value("accuracy", variant: "kmodel"), quantized)
    XCTAssertEqual(metrics.value("accuracy", variant: "k210"), quantized)
    XCTAssertGreaterThan(quantized, float - 0.05)
    XCTAssertEqual(metrics.value("kpu_layers", variant: "k210"), 5)
    XCTAssertGreaterThan(metrics.value("fps", variant: "k210") ?? 0, 0)
    XCTAssertGreaterThan(metrics.value("kmodel_bytes", variant: "k210") ?? 0, 0)
  }

  func testFineTuningStartsFromTheImportedWeights() throws {
    let e = try ExperimentLoader.load(
      path: Self.experiment,
      overrides: [
        "data.train=64", "data.val=64", "train.epochs=1", "train.batch_size=32", "train.optimizer.lr=0.0001",
        "evaluate.gates={}",
      ])
    XCTAssertEqual(e.settings.train.epochs, 1)
    var o = e
    o.settings.quantize = nil
    let result = try Runner().run(o, options: options)
    let stages = result.runDirectory.appendingPathComponent("stages")
    let imported = try ModelGraph.read(stages.appendingPathComponent("model/model.json"))
    let trained = try ModelGraph.read(stages.appendingPathComponent("train/model.json"))
    XCTAssertTrue(FileManager.default.fileExists(atPath: stages.appendingPathComponent("train/history.json").path))
    // Two steps at a small rate move the weights a little from the imported ones (a random
    // initialisation would be far away) and keep the model accurate.
    let key = try XCTUnwrap(imported.parameters.keys.sorted().first { $0.hasSuffix(".weight") })
    let a = try XCTUnwrap(imported.parameters[key]?.value?.scalars)
    let b = try XCTUnwrap(trained.parameters[key]?.value?.scalars)
    let change = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    let size = a.map(abs).max() ?? 1
    XCTAssertGreaterThan(change, 0, key)
    XCTAssertLessThan(change, 0.1 * size, key)
    XCTAssertGreaterThan(try XCTUnwrap(result.metrics?.value("accuracy", variant: "float")), 0.7)
  }

  func testCacheKeyIsTheFilesContentNotItsPath() throws {
    func key(_ folder: URL) throws -> JSONValue {
      let doc = #"{"version": 1, "name": "k", "data": {"source": "digits"}, "model": {"onnx": "m.onnx"}}"#
      let experiment = folder.appendingPathComponent("e.json")
      try Data(doc.utf8).write(to: experiment)
      return ModelStage(imported: true).settings(try ExperimentLoader.load(path: experiment.path))
    }
    let a = scratch.appendingPathComponent("a"), b = scratch.appendingPathComponent("b")
    for d in [a, b] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
    try FileManager.default.copyItem(at: Self.onnx, to: a.appendingPathComponent("m.onnx"))
    try FileManager.default.copyItem(at: Self.onnx, to: b.appendingPathComponent("m.onnx"))
    XCTAssertEqual(try key(a), try key(b), "the same bytes elsewhere")
    XCTAssertNil(try key(a)["onnx"])
    try FileManager.default.removeItem(at: b.appendingPathComponent("m.onnx"))
    let other = RunnerTests.root.appendingPathComponent("Tests/ONNXTests/Fixtures/mobilenet-tiny-opset13.onnx")
    try FileManager.default.copyItem(at: other, to: b.appendingPathComponent("m.onnx"))
    XCTAssertNotEqual(try key(a)["onnx_sha256"], try key(b)["onnx_sha256"], "an edited file re-runs the stage")
  }

  func testSettingsProblemsAreReportedWithTheirPaths() throws {
    func issues(_ text: String) throws -> [String] {
      let file = scratch.appendingPathComponent("e.json")
      try Data(text.utf8).write(to: file)
      do {
        _ = try ExperimentLoader.load(path: file.path)
        return []
      } catch SpecError.invalid(_, let issues) {
        return issues.map(\.description)
      }
    }
    let missing = try issues(#"{"version": 1, "name": "x", "model": {"onnx": "nowhere/m.onnx"}}"#)
    XCTAssertEqual(missing.count, 1)
    XCTAssertTrue(missing[0].hasPrefix("model.onnx: no ONNX file at nowhere/m.onnx"), "\(missing)")
    let zoo = try issues(
      #"{"version": 1, "name": "x", "model": {"onnx": "m.onnx", "zoo": "tiny-yolo", "outputs": [{"role": "yolo"}]}}"#)
    XCTAssertTrue(zoo.contains { $0.hasPrefix("model.zoo: does not apply to an imported ONNX model") }, "\(zoo)")
    XCTAssertTrue(zoo.contains { $0.hasPrefix("model.outputs[0].anchors: a yolo output needs its anchors") }, "\(zoo)")
    let untrained = try issues(#"{"version": 1, "name": "x", "train": {"epochs": 0}, "model": {"outputs": []}}"#)
    XCTAssertEqual(untrained.count, 2, "\(untrained)")
    XCTAssertTrue(
      untrained.contains { $0.hasPrefix("train.epochs: 0 epochs would leave the zoo model") }, "\(untrained)")
    XCTAssertTrue(untrained.contains { $0.hasPrefix("model.outputs: declares the outputs of an imported model") })
  }

  /// A malformed file and a file with an unsupported op fail the model stage with a sentence
  /// naming the file (and the node), and publish nothing.
  func testBadFilesFailTheModelStageWithoutArtifacts() throws {
    let garbage = scratch.appendingPathComponent("garbage.onnx")
    try Data("not a protobuf at all".utf8).write(to: garbage)
    let gelu = RunnerTests.root.appendingPathComponent("Tests/ONNXTests/Fixtures/gelu-opset20.onnx")
    for (file, phrase) in [(garbage.path, "not an ONNX protobuf message"), (gelu.path, "op Gelu is not supported")] {
      let e = try ExperimentLoader.load(
        path: Self.experiment, overrides: ["model.onnx=\(file)", "data.train=16", "data.val=16", "model.outputs=[]"])
      XCTAssertThrowsError(try Runner().run(e, options: options)) { error in
        guard let failure = error as? RunFailure else { return XCTFail("\(error)") }
        XCTAssertEqual(failure.stage, "model")
        let text = "\(failure.underlying)"
        XCTAssertTrue(text.hasPrefix("cannot import model.onnx \(file): "), text)
        XCTAssertTrue(text.contains(phrase), text)
        let model = failure.runDirectory.appendingPathComponent("stages/model")
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.path), "no partial artifact")
      }
    }
  }

  func testOutputRolesFromSettings() throws {
    let yolo = RunnerTests.root.appendingPathComponent("Tests/ONNXTests/Fixtures/tiny-yolo-opset13.onnx").path
    var graph = try ONNXImporter.importModel(contentsOf: yolo)
    XCTAssertEqual(graph.outputs.count, 2)
    let head = try XCTUnwrap(graph.outputs.first)
    XCTAssertEqual(head.shape[1], 21)
    let anchors = 3  // 3 anchors × (5 + 2 classes) = 21 channels
    let setting = ModelOutputSettings(
      name: head.name, role: "yolo", anchors: Array(repeating: [10, 14], count: anchors), stride: 0, classes: 2)
    try ImportedModel.assign(setting, index: 0, to: &graph, path: yolo, classes: nil)
    let input = try XCTUnwrap(graph.inputs.first?.shape)
    XCTAssertEqual(graph.outputs[0].role, .yolo)
    XCTAssertEqual(graph.outputs[0].stride, input[2] / head.shape[2])
    XCTAssertEqual(graph.outputs[0].anchors?.count, anchors)
    var wrong = setting
    wrong.classes = 4
    XCTAssertThrowsError(try ImportedModel.assign(wrong, index: 0, to: &graph, path: yolo, classes: nil)) {
      XCTAssertTrue("\($0)".contains("has 21 channels; 3 anchors × (5 + 4 classes) need 27"), "\($0)")
    }
    wrong = setting
    wrong.name = "head9"
    XCTAssertThrowsError(try ImportedModel.assign(wrong, index: 1, to: &graph, path: yolo, classes: nil)) {
      XCTAssertTrue("\($0)".contains("model.outputs[1] names output \"head9\""), "\($0)")
    }
    XCTAssertThrowsError(
      try ImportedModel.assignDefaultRole(&graph, path: yolo, kind: .classification, classes: 3)
    ) { XCTAssertTrue("\($0)".contains("has 2 outputs"), "\($0)") }
  }
}
