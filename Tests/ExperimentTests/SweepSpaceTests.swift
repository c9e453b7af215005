import Foundation
import Support
import Tensors
import XCTest

@testable import Experiment

/// Sweep files: validation messages, grid order and seeded random draws.
final class SweepSpaceTests: XCTestCase, SweepSpecParsing {
  static let quick = RunnerTests.root.appendingPathComponent("Experiments/quick.json").path

  func testGridIsTheCartesianProductInSortedKeyOrder() throws {
    let s = try spec(
      #"{"version": 1, "name": "g", "base": "b.json", "space": {"b": [1, 2], "a": {"choice": ["x", "y", "z"]}}, "objectives": {"float.map50": "max"}}"#
    )
    XCTAssertEqual(s.space.map(\.path), ["a", "b"])
    XCTAssertEqual(s.base, "/tmp/b.json")
    let expected: [[JSONValue]] = [
      ["x", 1], ["x", 2], ["y", 1], ["y", 2], ["z", 1], ["z", 2],
    ]
    XCTAssertEqual(SweepTrials.points(s), expected)
    XCTAssertEqual(SweepTrials.points(s, maxTrials: 4), Array(expected.prefix(4)))
    let capped = try spec(
      #"{"version": 1, "name": "g", "base": "b.json", "trials": 3, "space": {"b": [1, 2], "a": ["x", "y", "z"]}, "objectives": {"map50": "max"}}"#
    )
    XCTAssertEqual(SweepTrials.points(capped), Array(expected.prefix(3)))
    XCTAssertEqual(capped.objectives.map(\.metric), ["float.map50"])
  }

  func testRandomDrawsAreSeededBoundedAndLogUniform() throws {
    func s(_ seed: Int, _ n: Int) throws -> SweepSpec {
      try spec(
        #"{"version": 1, "name": "r", "base": "b.json", "search": "random", "trials": \#(n), "seed": \#(seed), "space": {"lr": {"log_uniform": [1e-4, 1e-2]}, "u": {"uniform": [2, 3]}, "size": {"choice": [64, 96]}}, "objectives": {"float.map50": "max"}}"#
      )
    }
    let a = SweepTrials.points(try s(5, 400))
    XCTAssertEqual(a, SweepTrials.points(try s(5, 400)))
    XCTAssertNotEqual(a, SweepTrials.points(try s(6, 400)))
    // a draw does not depend on how many are asked for
    XCTAssertEqual(SweepTrials.points(try s(5, 7)), Array(a.prefix(7)))
    XCTAssertEqual(SweepTrials.points(try s(5, 400), maxTrials: 3), Array(a.prefix(3)))
    // keys sorted: lr, size, u
    let lr = a.compactMap { $0[0].doubleValue }, size = a.compactMap { $0[1].doubleValue }
    let u = a.compactMap { $0[2].doubleValue }
    XCTAssertEqual(lr.count, 400)
    XCTAssertTrue(lr.allSatisfy { $0 >= 1e-4 && $0 < 1e-2 })
    XCTAssertTrue(u.allSatisfy { $0 >= 2 && $0 < 3 })
    XCTAssertEqual(Set(size), [64, 96])
    // log-uniform: each decade holds half the draws (binomial sd 0.025 at n = 400)
    let belowMid = Double(lr.filter { $0 < 1e-3 }.count) / 400
    XCTAssertEqual(belowMid, 0.5, accuracy: 0.1)
    // uniform: half below the midpoint
    XCTAssertEqual(Double(u.filter { $0 < 2.5 }.count) / 400, 0.5, accuracy: 0.1)
    // the first draw, computed from the stream directly
    var r = RandomStream(seed: 5).split("sweep").split(index: 0).split("lr")
    XCTAssertEqual(lr[0], exp(log(1e-4) + (log(1e-2) - log(1e-4)) * r.nextDouble()), accuracy: 1e-15)
  }

  func testEveryShapeProblemIsReportedWithItsPath() {
    let found = issues(
      #"{"version": 1, "name": "bad name", "base": "b.json", "serch": "grid", "space": {"lr": {"log_uniform": [0, 1]}, "w": [], "x": {"uniform": [3, 1]}, "y": {"choise": [1]}, "z": {"uniform": [0, 1]}}, "objectives": {"flaot.map50": "max", "float.map50_95": "up"}, "constraints": {"float.map50": "big"}}"#
    )
    XCTAssertEqual(
      found.sorted(),
      [
        "constraints.float.map50: expected a condition like \"<= 2097152\" (one of >=, <=, >, <, == and a number), got \"big\"",
        "name: expected letters, digits, '.', '_' or '-' (it names the folder Reports/<name>/), got \"bad name\"",
        "objectives.flaot.map50: expected variant.metric with a variant of float, compressed, quantized, kmodel, k210; did you mean `float.map50`?",
        "objectives.float.map50_95: expected one of \"max\", \"min\", got \"up\"",
        "serch: unknown key; did you mean `search`?",
        "space.lr.log_uniform: expected low > 0 (a log scale), got 0.0",
        "space.w: expected at least one value, got an empty list",
        "space.x.uniform: expected low < high, got [3.0, 1.0]",
        "space.y.choise: unknown key; did you mean `choice`?",
        "space.z: a grid needs a list of values; a continuous range needs \"search\": \"random\", \"tpe\" or \"asha\"",
      ].sorted())
    XCTAssertEqual(
      issues(#"{"version": 1, "name": "r", "base": "b.json", "search": "random", "space": {"a": [1]}}"#).sorted(),
      ["objectives: missing; expected an object", "trials: missing; random search needs the number of trials"])
  }

  /// Every trial's experiment is validated; a problem names the trial and its space path, and an
  /// unknown path gets the experiment schema's did-you-mean.
  func testTrialsAreValidatedAgainstTheBaseExperiment() throws {
    let s = try spec(
      #"{"version": 1, "name": "t", "base": "\#(Self.quick)", "set": ["train.epochs=1"], "space": {"model.widht": [0.5], "data.image_size": [64, -1]}, "objectives": {"float.map50": "max"}}"#
    )
    XCTAssertThrowsError(try SweepTrials.make(s)) { error in
      guard case SpecError.invalid(_, let found) = error else { return XCTFail("\(error)") }
      XCTAssertEqual(
        found.map(\.description),
        [
          "space.model.widht: trial 1 (data.image_size=64 model.widht=0.5) is not a valid experiment: model.widht: unknown key; did you mean `width`?",
          "space.data.image_size: trial 2 (data.image_size=-1 model.widht=0.5) is not a valid experiment: data.image_size: expected an integer in 16…1024, got -1",
        ])
    }
    let ok = try spec(
      #"{"version": 1, "name": "t", "base": "\#(Self.quick)", "set": ["train.epochs=1"], "space": {"model.width": [0.25, 0.5, 0.25]}, "objectives": {"float.map50": "max"}}"#
    )
    let trials = try SweepTrials.make(ok)
    XCTAssertEqual(trials.count, 2, "the repeated value is the same trial")
    XCTAssertEqual(trials.map(\.experiment.settings.model.width), [0.25, 0.5])
    XCTAssertEqual(trials.map(\.experiment.settings.train.epochs), [1, 1])
    XCTAssertEqual(trials[0].overrides, ["train.epochs=1", "model.width=0.25"])
    // the id hashes the resolved experiment: the same as loading it by hand with the same overrides
    let byHand = try ExperimentLoader.load(path: Self.quick, overrides: ["model.width=0.5", "train.epochs=1"])
    XCTAssertEqual(trials[1].id, String(SHA256.hex(of: byHand.document.canonical).prefix(16)))
    XCTAssertEqual(trials[1].experiment.settings.name, trials[1].id)
  }
}

extension SweepSpaceTests {
  /// The JSON Schema documents every field, and `space` entries as one of four shapes.
  func testJSONSchemaDescribesTheSpaceShapes() throws {
    let s = SweepSchema.jsonSchema()
    XCTAssertEqual(
      s["properties"]?.objectValue?.keys.sorted(),
      [
        "asha", "base", "constraints", "description", "name", "objectives", "search", "seed", "set", "space", "tpe",
        "trials", "version",
      ])
    XCTAssertEqual(s["required"], .array(["version", "name", "base", "space", "objectives"]))
    let shapes = try XCTUnwrap(s["properties"]?["space"]?["additionalProperties"]?["oneOf"]?.arrayValue)
    XCTAssertEqual(
      shapes.map { $0["required"]?.arrayValue?.first?.stringValue }, [nil, "choice", "uniform", "log_uniform"])
    XCTAssertEqual(shapes[3]["properties"]?["log_uniform"]?["maxItems"], 2)
    XCTAssertEqual(s["properties"]?["search"]?["enum"], .array(["grid", "random", "asha", "tpe"]))
    // ASHA's rungs and TPE's settings are documented objects with their bounds
    let asha = try XCTUnwrap(s["properties"]?["asha"])
    XCTAssertEqual(asha["required"], .array(["min_epochs", "max_epochs"]))
    XCTAssertEqual(asha["properties"]?["eta"]?["minimum"], 2)
    XCTAssertEqual(asha["properties"]?["eta"]?["default"], 3)
    XCTAssertEqual(s["properties"]?["tpe"]?["properties"]?["gamma"]?["exclusiveMinimum"], 0)
  }
}
