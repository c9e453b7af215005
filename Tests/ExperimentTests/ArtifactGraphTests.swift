import Support
import XCTest

@testable import Experiment

/// The stage DAG: reads are wired to the one earlier writer; miswired lists are refused with a
/// sentence; forcing a stage re-runs exactly what reads its artifacts, transitively.
final class ArtifactGraphTests: XCTestCase {
  struct Fake: Stage {
    let name: String
    let reads: [ArtifactName]
    let writes: [ArtifactOutput]
    init(_ name: String, reads: [ArtifactName] = [], writes: [ArtifactName]) {
      self.name = name
      self.reads = reads
      self.writes = writes.map { ArtifactOutput($0, ["\($0.rawValue).bin"]) }
    }
    func settings(_ e: ResolvedExperiment) -> JSONValue { .null }
    func run(_ context: StageContext) throws {}
  }

  func testTheRegistryIsAValidDAGWithOneEvaluationPerVariant() throws {
    let e = try ExperimentLoader.load(path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path)
    let g = try ArtifactGraph(StageRegistry.stages(for: e))
    XCTAssertEqual(
      g.stages.map(\.name), ["data", "model", "train", "evaluate-float"])
    // a quantize section adds the quantize stage and the quantized variant's evaluation
    let q = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path, overrides: ["quantize.scheme=int8"])
    let gq = try ArtifactGraph(StageRegistry.stages(for: q))
    XCTAssertEqual(
      gq.stages.map(\.name),
      ["data", "model", "train", "quantize", "evaluate-float", "evaluate-quantized"])
    XCTAssertEqual(gq.producer[.quantizedModel], "quantize")
    XCTAssertEqual(try gq.downstream(of: ["train"]), ["train", "quantize", "evaluate-float", "evaluate-quantized"])
    XCTAssertEqual(g.producer[.dataset], "data")
    XCTAssertEqual(g.producer[.trainedModel], "train")
    XCTAssertEqual(g.producer[.metrics(.float)], "evaluate-float")
    XCTAssertEqual(try g.downstream(of: ["model"]), ["model", "train", "evaluate-float"])
    XCTAssertEqual(try g.downstream(of: ["evaluate-float"]), ["evaluate-float"])
  }

  func testMiswiringIsRefused() {
    XCTAssertThrowsError(try ArtifactGraph([Fake("a", reads: ["x"], writes: ["y"])])) {
      XCTAssertEqual("\($0)", "internal: stage `a` reads `x`, which no earlier stage writes")
    }
    XCTAssertThrowsError(try ArtifactGraph([Fake("a", writes: ["x"]), Fake("b", writes: ["x"])])) {
      XCTAssertEqual("\($0)", "internal: stages `a` and `b` both write `x`")
    }
    XCTAssertThrowsError(try ArtifactGraph([Fake("a", writes: ["x"]), Fake("a", writes: ["y"])]))
  }

  func testDownstreamIsTransitiveAndNamesUnknownStages() throws {
    let g = try ArtifactGraph([
      Fake("a", writes: ["x"]), Fake("b", reads: ["x"], writes: ["y"]), Fake("c", writes: ["z"]),
      Fake("d", reads: ["y", "z"], writes: ["w"]),
    ])
    XCTAssertEqual(try g.downstream(of: ["a"]), ["a", "b", "d"])
    XCTAssertEqual(try g.downstream(of: ["c"]), ["c", "d"])
    XCTAssertThrowsError(try g.downstream(of: ["evaluate"])) {
      XCTAssertEqual("\($0)", "--force evaluate: no such stage; this run's stages are a, b, c, d")
    }
  }
}
