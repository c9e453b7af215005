import Foundation
import Graph
import RunFormat
import XCTest

@testable import K210

/// What the K210 check writes is what the report reads (RunFormat's ``K210CheckSummary``).
final class K210CheckContractTests: XCTestCase {
  func testTheRunFormatReadsTheCheck() throws {
    let g = try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, inputSize: [320, 320]))
    var limits = K210Limits()
    limits.reserve = 3 * 1024 * 1024
    let check = try K210Check(g, limits: limits)
    let summary = try JSONDecoder().decode(K210CheckSummary.self, from: JSONEncoder().encode(check))
    XCTAssertEqual(summary.model, check.model)
    XCTAssertEqual(summary.layers.map(\.name), check.layers.map(\.name))
    XCTAssertEqual(summary.layers.map(\.processor), check.layers.map(\.processor.rawValue))
    XCTAssertEqual(summary.layers.map { $0.violations.map(\.value) }, check.layers.map { $0.violations.map(\.value) })
    XCTAssertEqual(summary.kpu.peakBytes, check.kpu.peakBytes)
    XCTAssertEqual(summary.modelBytes + summary.activationBytes, check.modelBytes + check.activationBytes)
    XCTAssertEqual(summary.limits.reserve, 3 * 1024 * 1024)
    XCTAssertEqual(summary.problems, check.problems)
    // 320 rows: the first convolutions exceed the KPU's 256-row limit
    XCTAssertEqual(summary.layers.first?.violations.first?.rule, "input height")
  }
}
