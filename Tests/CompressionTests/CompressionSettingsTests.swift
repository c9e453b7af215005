import Compression
import Foundation
import Graph
import XCTest

/// Compression settings: defaults, snake-case JSON, the target's order and every problem with
/// its path.
final class CompressionSettingsTests: XCTestCase {
  private func decode(_ json: String) throws -> CompressionSettings {
    try JSONDecoder().decode(CompressionSettings.self, from: Data(json.utf8))
  }

  func testAnEmptySectionTakesTheDefaults() throws {
    let s = try decode("{}")
    XCTAssertEqual(s, CompressionSettings())
    XCTAssertEqual(s.target, .ratio(0.5))
    XCTAssertEqual(s.roundTo, 8)
    XCTAssertTrue(s.foldBatchNorm)
    XCTAssertTrue(s.problems.isEmpty)
    XCTAssertEqual(s.fractions.map(\.epoch), [0])
    let again = try JSONDecoder().decode(CompressionSettings.self, from: try JSONEncoder().encode(s))
    XCTAssertEqual(again, s)
  }

  func testTargetsAndTheGradualSchedule() throws {
    let s = try decode(
      #"{"criterion": "bn_scale", "max_macs": 6000000, "max_parameters": 10, "layer_ratios": {"conv5": 0.3},"#
        + #" "schedule": "gradual", "steps": 4, "fold_bn": false}"#)
    XCTAssertEqual(s.criterion, .bnScale)
    XCTAssertEqual(s.target, .macs(6_000_000), "the MAC budget comes first")
    XCTAssertFalse(s.foldBatchNorm)
    // Zhu & Gupta with s_f = 1: 1 − (1 − t/4)³ at t = 1…4 (t = 0 prunes nothing).
    XCTAssertEqual(s.fractions.map(\.epoch), [1, 2, 3, 4])
    XCTAssertEqual(s.fractions.map(\.fraction), [0.578125, 0.875, 0.984375, 1])
    var r = CompressionSettings()
    r.layerRatios = ["conv5": 0.3]
    XCTAssertEqual(r.target, .ratios(["conv5": 0.3], default: 0.5))
  }

  func testProblemsNameTheirPaths() throws {
    let s = try decode(
      #"{"ratio": 1, "layer_ratios": {"conv5": -0.1}, "round_to": 0, "sensitivity": true, "max_ratio": 1}"#)
    XCTAssertEqual(
      s.problems.map(\.description),
      [
        "ratio: must be at least 0 and below 1 (the share of channels removed), got 1.0.",
        "layer_ratios.conv5: must be at least 0 and below 1, got -0.1.",
        "round_to: must be at least 1 (1 keeps exact counts).",
        "max_ratio: must be above 0 and below 1, got 1.0.",
      ])
  }
}
