import Datasets
import XCTest

/// The `workbench` executable as a user runs it: output, error sentences and exit codes.
final class EndToEndTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(_ args: [String]) throws -> WorkbenchProcess.Outcome {
    try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).run(args)
  }

  func write(_ text: String, _ name: String) throws -> String {
    let url = scratch.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// `--force` takes a stage name, or `evaluate` for every evaluate-<variant> stage; other names
  /// are refused with the list of the experiment's stages.
  func testForceNamesStagesOrAllEvaluations() throws {
    let plan = try run(["run", "experiments/quick.json", "--dry-run", "--force", "evaluate"])
    XCTAssertEqual(plan.status, 0, plan.err)
    XCTAssertTrue(plan.out.contains("[4] evaluate-float"), plan.out)
    let bad = try run(["run", "experiments/quick.json", "--dry-run", "--force", "evaluat"])
    XCTAssertNotEqual(bad.status, 0)
    let expected = "--force evaluat: no such stage; this experiment's stages are data, model, train, evaluate-float"
    XCTAssertTrue(bad.err.contains(expected), bad.err)
  }

  /// `check k210`: exit 0, "fits" and the frame pipeline for the shipped detector at its training
  /// size; exit 1 with
  /// the rule, limit and value of each CPU fallback and the memory problem at 416×416.
  func testCheckK210() throws {
    let fits = try run(["check", "k210", "tiny-yolo-shapes", "--width", "0.5", "--input-size", "96"])
    XCTAssertEqual(fits.status, 0, fits.err)
    XCTAssertTrue(fits.out.contains("\nfits the K210\n"), fits.out)
    // then the model call's time and the frame pipeline: camera-bound at 30 fps once the camera
    // overlaps the work, half that when the loop asks for each frame
    XCTAssertTrue(fits.out.contains("frame pipeline with a 30 fps camera:"), fits.out)
    XCTAssertTrue(fits.out.contains("  sequential      15.0 fps    66.7 ms/frame"), fits.out)
    XCTAssertTrue(fits.out.contains("  dma-upload      30.0 fps    33.3 ms/frame"), fits.out)
    let big = try run(["check", "k210", "tiny-yolo", "--input-size", "416"])
    XCTAssertEqual(big.status, 1)
    XCTAssertTrue(big.out.contains("✗ input height: the KPU accepts ≤ 256, this layer has 416"), big.out)
    XCTAssertTrue(big.out.contains("bytes of main memory"), big.out)
    XCTAssertTrue(big.out.contains("\ndoes not fit the K210\n"), big.out)
  }

  func testEvalDetectionsHandComputed() throws {
    // two ground-truth boxes of one class; one found exactly (score 0.9), one false positive
    // (0.8) and the second object found with IoU 0.68 (score 0.7): AP@0.5 (coco101) is
    // precision 1 up to recall 0.5 and 2/3 up to recall 1 → (51·1 + 50·2/3) / 101.
    let gt = try write(
      """
      {"images": [{"id": 1, "width": 100, "height": 100}],
       "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]},
                       {"id": 2, "image_id": 1, "category_id": 1, "bbox": [50, 50, 20, 20]}],
       "categories": [{"id": 1, "name": "thing"}]}
      """, "gt.json")
    let pred = try write(
      """
      [{"image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20], "score": 0.9},
       {"image_id": 1, "category_id": 1, "bbox": [80, 80, 10, 10], "score": 0.8},
       {"image_id": 1, "category_id": 1, "bbox": [52, 52, 20, 20], "score": 0.7}]
      """, "pred.json")
    let r = try run(["eval", "detections", "--gt", gt, "--pred", pred, "--json"])
    XCTAssertEqual(r.status, 0, r.err)
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    let map50 = try XCTUnwrap(json?["map50"] as? Double)
    XCTAssertEqual(map50, (51.0 + 50.0 * 2 / 3) / 101, accuracy: 1e-9)
    XCTAssertEqual(json?["definition"] as? String, "coco101")
    let voc = try run(["eval", "detections", "--gt", gt, "--pred", pred, "--ap", "voc-all", "--json"])
    let vjson = try JSONSerialization.jsonObject(with: Data(voc.out.utf8)) as? [String: Any]
    XCTAssertEqual(try XCTUnwrap(vjson?["map50"] as? Double), 0.5 + 0.5 * 2 / 3, accuracy: 1e-9)
  }

  func testBadInputGivesASentenceAndNonZeroExit() throws {
    let gt = try write(
      """
      {"images": [{"id": 1}], "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "bbox": [0, 0, -3, 4]}],
       "categories": [{"id": 1, "name": "a"}]}
      """, "bad.json")
    let pred = try write("[]", "p.json")
    let r = try run(["eval", "detections", "--gt", gt, "--pred", pred])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.err.contains("annotation 7"), r.err)
    let missing = try run([
      "eval", "detections", "--gt", scratch.appendingPathComponent("nope.json").path, "--pred", pred,
    ])
    XCTAssertNotEqual(missing.status, 0)
    XCTAssertTrue(missing.err.contains("nope.json: no such file"), missing.err)
  }

  /// SqueezeNet 1.1 at 224×224 with 1,000 classes has 1,235,496 parameters and 349,151,936
  /// multiply-accumulates (the published figures).
  /// `data generate digits` writes the same file as the library's generator with those settings.
  func testGenerateDigitsMatchesTheLibrary() throws {
    let out = scratch.appendingPathComponent("digits.h5").path
    let r = try run(["data", "generate", "digits", "--out", out, "--seed", "3", "--size", "24", "--counts", "20,10,0"])
    XCTAssertEqual(r.status, 0, r.err)
    var config = DigitsConfig()
    config.seed = 3; config.width = 24; config.height = 24
    (config.trainCount, config.valCount, config.testCount) = (20, 10, 0)
    let hash = try DigitsGenerator(config).write(to: scratch.appendingPathComponent("library.h5").path)
    XCTAssertEqual(r.out, "wrote \(out)\ncontent_hash: \(hash)\n")
    let faces = try run(["data", "generate", "faces", "--out", out, "--counts", "1,1,1"])
    XCTAssertNotEqual(faces.status, 0)
    XCTAssertTrue(faces.err.contains("--counts applies to shapes and digits only."), faces.err)
  }

  func testInspectModelPrintsThePublishedFigures() throws {
    let r = try run(["inspect", "model", "squeezenet1.1"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.contains("1,235,496"), r.out)
    XCTAssertTrue(r.out.contains("349,151,936"), r.out)
    let bad = try run(["inspect", "model", "resnet-9000"])
    XCTAssertNotEqual(bad.status, 0)
    XCTAssertTrue(bad.err.contains("resnet-9000"), bad.err)
  }

  func testInvalidExperimentListsEveryProblemWithExitCode2() throws {
    let file = try write(#"{"version": 1, "name": "x", "train": {"optimiser": {}, "epochs": "many"}}"#, "e.json")
    let r = try run(["validate", file])
    XCTAssertEqual(r.status, 2)
    XCTAssertTrue(r.err.contains("train.optimiser: unknown key; did you mean `optimizer`?"), r.err)
    XCTAssertTrue(r.err.contains("train.epochs: expected an integer >= 0, got \"many\""), r.err)
    let ok = try run(["validate", "experiments/quick.json", "--quiet"])
    XCTAssertEqual(ok.status, 0, ok.err)
    XCTAssertEqual(ok.out, "valid\n")
    let schema = try run(["schema"])
    XCTAssertEqual(schema.status, 0)
    XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(schema.out.utf8)))
  }

  func testFailedGateExitsWithCode3() throws {
    let reports = scratch.appendingPathComponent("Reports").path
    let r = try run(["run", "experiments/quick.json", "--reports", reports, "--set", "evaluate.gates.map50=>= 1.5"])
    XCTAssertEqual(r.status, 3, r.err)
    XCTAssertTrue(r.out.contains("gate FAILED: map50 >= 1.5"), r.out)
    XCTAssertTrue(FileManager.default.fileExists(atPath: reports + "/quick/latest/report.html"))
    XCTAssertTrue(FileManager.default.fileExists(atPath: reports + "/index.html"))
    let dry = try run(["run", "experiments/quick.json", "--reports", reports, "--dry-run"])
    XCTAssertEqual(dry.status, 0)
    XCTAssertEqual(dry.out.components(separatedBy: "cached").count - 1, 4, dry.out)
    let list = try run(["cache", "list"])
    XCTAssertEqual(list.status, 0)
    XCTAssertTrue(list.out.contains(": 4 entries"), list.out)
    let prune = try run(["cache", "prune", "--all"])
    XCTAssertEqual(prune.out, "removed 4 cache entries\n")
    XCTAssertTrue(try run(["cache", "list"]).out.contains(": 0 entries"))
    XCTAssertNotEqual(try run(["cache", "prune"]).status, 0, "prune needs --all or --older-than")
  }
}
