import Support
import XCTest

@testable import Experiment

final class SpecValidationTests: XCTestCase {
  func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8), file: "t.json") }

  func issues(_ text: String, overrides: [String] = []) throws -> [String] {
    do {
      _ = try ExperimentLoader.resolve(try parse(text), file: "t.json", overrides: overrides)
      return []
    } catch SpecError.invalid(_, let issues) {
      return issues.map(\.description)
    }
  }

  func testEveryProblemIsReportedWithItsPath() throws {
    let found = try issues(
      """
      {"version": 1, "name": "bad name!", "seed": -1,
       "train": {"epochs": 0, "optimiser": {}, "optimizer": {"lr": "fast", "name": "adamm"}},
       "evaluate": {"ap": "coco", "gates": {"map50": "at least 0.6"}},
       "quantize": {"bits": 8}, "sweep": {}}
      """)
    XCTAssertTrue(found.contains("train.optimizer.lr: expected a number > 0, got \"fast\""), "\(found)")
    XCTAssertTrue(found.contains("train.optimiser: unknown key; did you mean `optimizer`?"), "\(found)")
    XCTAssertTrue(
      found.contains {
        $0.hasPrefix(
          "train.optimizer.name: expected one of \"sgd\", \"adam\", \"adamw\", got \"adamm\"; did you mean \"adam\"?")
      }, "\(found)")
    XCTAssertTrue(found.contains { $0.hasPrefix("train.epochs: 0 epochs would leave the zoo model") }, "\(found)")
    XCTAssertTrue(found.contains("seed: expected an integer in 0…4294967295, got -1"), "\(found)")
    XCTAssertTrue(
      found.contains {
        $0.hasPrefix("sweep: this version (1) of the experiment format does not support the `sweep` stage yet")
      }, "\(found)")
    XCTAssertTrue(
      found.contains { $0.hasPrefix("quantize.scheme: missing; expected one of \"int8\", \"k210\"") }, "\(found)")
    XCTAssertTrue(found.contains { $0.hasPrefix("name: expected letters, digits") }, "\(found)")
    XCTAssertTrue(found.contains { $0.hasPrefix("evaluate.gates.map50: expected a condition like") }, "\(found)")
    XCTAssertTrue(found.contains { $0.hasPrefix("evaluate.ap: expected one of") }, "\(found)")
    XCTAssertEqual(found.count, 10, "\(found)")
  }

  func testMissingRequiredFieldsAndWrongTypes() throws {
    let found = try issues(#"{"name": 3, "data": []}"#)
    XCTAssertEqual(
      found.sorted(),
      [
        "data: expected an object, got an array",
        "name: expected a string, got 3",
        "version: missing; expected an integer in 1…1",
      ])
  }

  func testDefaultsAndOverridesResolve() throws {
    let r = try ExperimentLoader.resolve(
      try parse(#"{"version": 1, "name": "quick", "train": {"epochs": 5}}"#), file: "t.json",
      overrides: ["train.epochs=2", "train.optimizer.name=sgd", "evaluate.gates.map50=>= 0.5", "data.val=10"])
    XCTAssertEqual(r.settings.train.epochs, 2)
    XCTAssertEqual(r.settings.train.optimizer.name, .sgd)
    XCTAssertEqual(r.settings.train.optimizer.lr, 0.002)
    XCTAssertEqual(r.settings.data.val, 10)
    XCTAssertEqual(r.settings.evaluate.gates, ["map50": ">= 0.5"])
    XCTAssertEqual(r.document["train"]?["batch_size"], .number(32))  // defaults are in the saved document
    XCTAssertEqual(r.settings.model.zoo, "tiny-yolo")
  }

  func testBadOverride() {
    XCTAssertThrowsError(try Overrides.apply(["train.epochs"], to: .object([:]))) { e in
      XCTAssertTrue("\(e)".contains("--set train.epochs: no `=`"))
    }
    XCTAssertThrowsError(try Overrides.apply(["name.x=1"], to: .object(["name": "a"]))) { e in
      XCTAssertTrue("\(e)".contains("`x` is inside a \"a\", not an object"), "\(e)")
    }
  }

  func testMalformedJSONNamesTheFile() {
    XCTAssertThrowsError(try JSONValue.parse(Data("{\"version\": 1,".utf8), file: "exp.json")) { e in
      XCTAssertTrue("\(e)".hasPrefix("exp.json is not valid JSON"), "\(e)")
    }
  }

  func testCanonicalFormIsOrderIndependent() throws {
    XCTAssertEqual(
      try parse(#"{"b": [1, 2.5], "a": {"y": true, "x": null}}"#).canonical,
      #"{"a":{"x":null,"y":true},"b":[1,2.5]}"#)
    XCTAssertEqual(try parse(#"{"a": 1, "b": 2}"#).canonical, try parse(#"{"b": 2, "a": 1}"#).canonical)
  }

  func testSuggestionDistance() {
    XCTAssertEqual(Suggestion.closest(to: "optimiser", in: ["optimizer", "epochs"]), "optimizer")
    XCTAssertEqual(Suggestion.closest(to: "epcohs", in: ["optimizer", "epochs"]), "epochs")
    XCTAssertNil(Suggestion.closest(to: "zzz", in: ["optimizer", "epochs"]))
  }

  func testJSONSchemaDescribesTheFormat() {
    let s = ExperimentSchema.root.jsonSchema()
    XCTAssertEqual(s["properties"]?["train"]?["properties"]?["epochs"]?["minimum"], .number(0))
    XCTAssertEqual(
      s["properties"]?["evaluate"]?["properties"]?["ap"]?["enum"], .array(["coco101", "voc07", "voc-all"]))
    XCTAssertEqual(s["required"], .array(["version", "name"]))
  }
}
