import Foundation
import Support
import XCTest

@testable import Experiment

/// ``Multirun``: `PATH=V1,V2` arguments become a grid sweep of the base experiment.
final class MultirunTests: XCTestCase {
  func testValuesSplitOnTopLevelCommasOnly() {
    XCTAssertEqual(
      Multirun.split(#"a, b,[1,2],{"k":1,"j":2},"x,y""#), ["a", "b", "[1,2]", #"{"k":1,"j":2}"#, #""x,y""#])
    XCTAssertEqual(Multirun.split("1e-3"), ["1e-3"])
  }

  func testSweepOverTheValuesWithTheGatesAsObjectives() throws {
    let spec = try Multirun.sweep(
      base: SweepSpaceTests.quick, overrides: ["train.epochs=1"],
      multirun: ["train.optimizer.lr=1e-3,3e-3", "model.zoo=tiny-yolo", "model.width=0.25,0.5"])
    XCTAssertEqual(spec.name, "quick-multirun")
    XCTAssertEqual(spec.search, .grid)
    XCTAssertEqual(spec.fixed, ["train.epochs=1"])
    XCTAssertEqual(spec.space.map(\.path), ["model.width", "model.zoo", "train.optimizer.lr"])
    XCTAssertEqual(spec.space.map { $0.dimension.gridValues ?? [] }, [[0.25, 0.5], ["tiny-yolo"], [0.001, 0.003]])
    // quick.json gates `map50: >= 0.0`
    XCTAssertEqual(spec.objectives, [.init(metric: "float.map50", direction: .max)])
    let trials = try SweepTrials.make(spec)
    XCTAssertEqual(trials.count, 4)
    XCTAssertEqual(trials.map(\.label).first, "model.width=0.25 model.zoo=\"tiny-yolo\" train.optimizer.lr=0.001")
  }

  func testMalformedArgumentsAreSpecErrors() {
    for bad in ["model.width", "=1,2", "model.width=", "model.width=1,,2"] {
      XCTAssertThrowsError(try Multirun.sweep(base: SweepSpaceTests.quick, overrides: [], multirun: [bad])) { e in
        guard case SpecError.badOverride(let text, _) = e else { return XCTFail("\(e)") }
        XCTAssertEqual(text, bad)
      }
    }
  }
}
