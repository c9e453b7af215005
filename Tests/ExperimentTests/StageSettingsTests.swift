import K210
import Support
import Tensors
import Training
import XCTest

@testable import Experiment

/// Each stage's typed settings and its schema describe the same fields, and names come from one
/// list: the schema's choices are the enum's cases, an unknown name is an error (never a
/// fallback), and every case reaches the library through an exhaustive switch.
final class StageSettingsTests: XCTestCase {
  /// Field names of every object in `schema`, as JSON paths.
  func schemaPaths(_ schema: Schema, _ prefix: String = "") -> Set<String> {
    guard case .object(let fields, _) = schema else { return [] }
    var out = Set<String>()
    for f in fields {
      if case .unsupported = f.schema { continue }
      let path = prefix.isEmpty ? f.name : "\(prefix).\(f.name)"
      out.insert(path)
      out.formUnion(schemaPaths(f.schema, path))
    }
    return out
  }

  /// Key paths of an encoded value (objects only; map entries such as gates are data).
  func encodedPaths(_ value: Any, _ prefix: String = "") -> Set<String> {
    guard let o = value as? [String: Any] else { return [] }
    var out = Set<String>()
    for (k, v) in o {
      let path = prefix.isEmpty ? k : "\(prefix).\(k)"
      out.insert(path)
      if !["evaluate.gates", "quantize.layers", "compress.prune.layer_ratios"].contains(path) {
        out.formUnion(encodedPaths(v, path))
      }
    }
    return out
  }

  func testSchemaAndTypedSettingsHaveTheSameFields() throws {
    // optional sections (simulate.k210, quantize) and fields (quantize.bits,
    // train.stop_after_epochs) written, so every field is in the resolved value
    let e = try ExperimentLoader.resolve(
      .object([
        "version": 1, "name": "t", "simulate": .object(["k210": .object([:])]),
        "train": .object(["stop_after_epochs": 1]),
        "quantize": .object([
          "scheme": "gap8-pow2", "bits": 16, "qat": .object([:]),
          "mixed_precision": .object(["memory_bytes": 1000]),
        ]),
        "compress": .object([
          "prune": .object(["max_macs": 1000, "max_parameters": 1000, "sensitivity": .object([:])]),
          "low_rank": .object(["energy": 0.9, "max_macs": 1000]),
        ]),
        "export": .object(["kmodel": .object([:]), "onnx": .object([:])]),
      ]), file: "t.json")
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let encoded = try JSONSerialization.jsonObject(with: encoder.encode(e.settings))
    // model.onnx and model.outputs exclude the zoo keys, so an imported model shows them
    let imported = ["model.onnx", "model.outputs"]
    XCTAssertEqual(encodedPaths(encoded).union(imported), schemaPaths(ExperimentSchema.root))
    // and the defaults in the schema are what the typed value holds
    XCTAssertEqual(try JSONValue.parse(encoder.encode(e.settings), file: "s"), e.document)

    let onnx = RunnerTests.root.appendingPathComponent("Experiments/onnx/digits-cnn.onnx").path
    let i = try ExperimentLoader.resolve(
      .object(["version": 1, "name": "t", "model": .object(["onnx": .string(onnx), "outputs": .array([])])]),
      file: "t.json")
    let typed = try JSONValue.parse(encoder.encode(i.settings), file: "s")
    XCTAssertTrue(
      encodedPaths(try JSONSerialization.jsonObject(with: encoder.encode(i.settings))).isSuperset(of: imported))
    XCTAssertEqual(ModelSettings.withoutZooKeys(typed), i.document)
  }

  /// `export.kmodel`'s pass toggles default to on and reach the writer's options.
  func testKModelPassTogglesReachTheWriter() throws {
    func options(_ kmodel: JSONValue) throws -> (Bool, Bool, Bool)? {
      let e = try ExperimentLoader.resolve(
        .object(["version": 1, "name": "t", "export": .object(["kmodel": kmodel])]), file: "t.json")
      return e.settings.export?.kmodel.map {
        let o = $0.writerOptions
        return (o.upsampleFastPath, o.concatElimination, o.cancelRequantize)
      }
    }
    let defaults = try XCTUnwrap(try options(.object([:])))
    XCTAssertTrue(defaults == (true, true, true))
    let off = try XCTUnwrap(try options(.object(["concat_elimination": false, "cancel_requantize": false])))
    XCTAssertTrue(off == (true, false, false))
    XCTAssertThrowsError(try options(.object(["concat_elimination": 1])))
  }

  func testChoicesComeFromTheEnums() {
    func choices(_ path: [String]) -> [String]? {
      var schema = ExperimentSchema.root
      for key in path {
        guard case .object(let fields, _) = schema, let f = fields.first(where: { $0.name == key }) else { return nil }
        schema = f.schema
      }
      if case .string(let c, _) = schema { return c }
      return nil
    }
    XCTAssertEqual(choices(["train", "optimizer", "name"]), ["sgd", "adam", "adamw"])
    XCTAssertEqual(choices(["train", "schedule", "name"]), ScheduleSettings.Name.names)
    XCTAssertEqual(choices(["train", "loss", "objectness"]), ["bce", "focal"])
    XCTAssertEqual(choices(["evaluate", "ap"]), ["coco101", "voc07", "voc-all"])
    XCTAssertEqual(choices(["data", "source"]), DataSettings.Source.names)
    XCTAssertEqual(choices(["quantize", "scheme"]), ["int8", "k210", "gap8-pow2", "gap8-sq8"])
    XCTAssertEqual(choices(["quantize", "calibration", "method"]), ["minmax", "percentile", "kld", "mse"])
  }

  func testUnknownNamesAreErrorsNotFallbacks() {
    let doc: JSONValue = .object([
      "version": 1, "name": "t",
      "train": .object(["optimizer": .object(["name": "adamm"]), "schedule": .object(["name": "cosin"])]),
      "evaluate": .object(["gates": .object(["quantized.map50": ">= 0.8", "flot.map50": ">= 0.8"])]),
    ])
    XCTAssertThrowsError(try ExperimentLoader.resolve(doc, file: "t.json")) { error in
      let text = "\(error)"
      XCTAssertTrue(
        text.contains(
          #"train.optimizer.name: expected one of "sgd", "adam", "adamw", got "adamm"; did you mean "adam"?"#), text)
      XCTAssertTrue(text.contains(#"train.schedule.name: expected one of"#), text)
      XCTAssertTrue(
        text.contains(
          "evaluate.gates.quantized.map50: this experiment produces no `quantized` model variant (its metrics.json has: float)"
        ),
        text)
      XCTAssertTrue(
        text.contains(
          "evaluate.gates.flot.map50: this experiment produces no `flot` model variant (its metrics.json has: float); did you mean `float.map50`?"
        ), text)
    }
  }

  func testTunableConstantsReachTheLibrary() throws {
    let e = try ExperimentLoader.resolve(
      .object(["version": 1, "name": "t"]), file: "t.json",
      overrides: [
        "train.epochs=10", "train.schedule.name=onecycle", "train.schedule.pct_start=0.25",
        "train.schedule.div_factor=10",
        "train.schedule.final_fraction=0.001", "train.optimizer.name=sgd", "train.optimizer.momentum=0.8",
      ])
    let config = e.settings.train.configuration(random: RandomStream(seed: 0))
    XCTAssertEqual(config.schedule, .oneCycle(totalEpochs: 10, pctStart: 0.25, divFactor: 10, finalDivFactor: 100))
    XCTAssertEqual(config.optimizer, .sgd(SGD(momentum: 0.8, nesterov: false, weightDecay: 0.0005)))
    let cosine = try ExperimentLoader.resolve(
      .object(["version": 1, "name": "t"]), file: "t.json",
      overrides: ["train.schedule.warmup_start_factor=0.5", "train.epochs=4"])
    XCTAssertEqual(
      cosine.settings.train.configuration(random: RandomStream(seed: 0)).schedule,
      .cosine(warmupEpochs: 1, totalEpochs: 4, warmupStartFactor: 0.5, minFactor: 0.01))
  }

  func testGatesAddressVariants() throws {
    XCTAssertEqual(Gate.parse(metric: "map50", condition: ">= 0.8")?.variant, "float")
    XCTAssertEqual(Gate.parse(metric: "map50", condition: ">= 0.8")?.kpi, "map50")
    XCTAssertEqual(Gate.parse(metric: "float.map50_95", condition: "> 0.1")?.kpi, "map50_95")
    XCTAssertEqual(Gate.parse(metric: "k210.fps", condition: ">= 25")?.variant, "k210")
    // gate names are data: snake_case keys stay as written in the typed settings
    let e = try ExperimentLoader.resolve(
      .object(["version": 1, "name": "t"]), file: "t.json",
      overrides: ["evaluate.gates.float.map50_95=>= 0.1"])
    XCTAssertEqual(e.settings.evaluate.gates, ["float.map50_95": ">= 0.1"])
  }

  /// An optional section is absent unless written; written, its defaults are filled in.
  func testOptionalSectionsAreFilledOnlyWhenWritten() throws {
    let without = try ExperimentLoader.resolve(.object(["version": 1, "name": "t"]), file: "t.json")
    XCTAssertNil(without.settings.simulate.k210)
    XCTAssertEqual(without.document["simulate"], .object([:]))
    let with = try ExperimentLoader.resolve(
      .object(["version": 1, "name": "t"]), file: "t.json", overrides: ["simulate.k210.clock_mhz=500"])
    XCTAssertEqual(
      with.settings.simulate.k210,
      K210Settings(clockMhz: 500, reserveBytes: 1_048_576, cpuMhz: 400, cameraFps: 30, pipeline: .dmaUpload))
  }
}
