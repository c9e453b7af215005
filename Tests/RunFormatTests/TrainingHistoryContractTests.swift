import Foundation
import RunFormat
import Training
import XCTest

/// The run format's history type reads exactly what the Training library writes.
final class TrainingHistoryContractTests: XCTestCase {
  func testReadsTrainingsEpochRecords() throws {
    let records = [
      EpochRecord(
        epoch: 1, learningRate: 0.01, train: ["loss": 2.5, "box": 1.25], validation: ["loss": 3],
        metric: 0.4, imagesPerSecond: 120, seconds: 2.5),
      EpochRecord(
        epoch: 2, learningRate: 0.005, train: ["loss": 1.5, "box": 0.75], validation: [:],
        metric: nil, imagesPerSecond: 130, seconds: 2.25),
    ]
    let decoded = try JSONDecoder().decode(TrainingHistory.self, from: MetricsHistory.json(records))
    XCTAssertEqual(decoded.epochs.map(\.epoch), [1, 2])
    XCTAssertEqual(decoded.epochs[0].lr, 0.01)
    XCTAssertEqual(decoded.epochs[0].train, ["loss": 2.5, "box": 1.25])
    XCTAssertEqual(decoded.epochs[0].validationLoss, ["loss": 3])
    XCTAssertEqual(decoded.epochs[0].val, ["metric": 0.4])
    XCTAssertEqual(decoded.epochs[1].val, [:])
    XCTAssertEqual(decoded.epochs[1].imagesPerSecond, 130)
    XCTAssertEqual(decoded.lossNames, ["loss", "box"])
    // and it writes the same layout back
    let again = try JSONDecoder().decode(TrainingHistory.self, from: JSONEncoder().encode(decoded))
    XCTAssertEqual(again, decoded)
  }

  func testManifestRoundTripsWithArtifacts() throws {
    let m = RunManifest(
      runId: "r", status: "succeeded", seed: 3,
      stages: [
        .init(name: "data", key: "k", cacheHit: true, wallSeconds: 1, inputs: [:], outputs: ["dataset.h5": "h"])
      ],
      artifacts: ["dataset": .init(stage: "data", files: ["stages/data/dataset.h5"], hash: "abc")],
      gates: [.init(metric: "float.map50", condition: ">= 0.5", value: 0.6, passed: true)])
    let data = try JSONEncoder().encode(m)
    let text = String(decoding: data, as: UTF8.self)
    XCTAssertTrue(text.contains("\"cache_hit\":true"), text)
    XCTAssertEqual(try JSONDecoder().decode(RunManifest.self, from: data), m)
  }
}
