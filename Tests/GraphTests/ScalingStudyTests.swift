import Graph
import XCTest

/// The scaling study against MobileNet v1's published figures (Howard et al. 2017, Table 6:
/// 1.0 → 569 M mult-adds and 4.2 M parameters, 0.5 → 149 M and 1.3 M at 224×224).
final class ScalingStudyTests: XCTestCase {
  func testMobileNetWidthsMatchThePaper() throws {
    let study = try ScalingStudy("mobilenet-v1", widths: [0.5, 1], resolutions: [1])
    XCTAssertEqual(study.points.map(\.width), [0.5, 1])
    XCTAssertEqual(study.points[1].parameters, 4_231_976)
    XCTAssertEqual(study.points[1].macs, 568_740_352)
    XCTAssertEqual(Double(study.points[0].macs), 149e6, accuracy: 0.01 * 149e6)
    XCTAssertEqual(Double(study.points[0].parameters), 1.33e6, accuracy: 0.03e6)
    XCTAssertEqual(study.points[0].input, [1, 3, 224, 224])
    XCTAssertTrue(study.renderText().contains("568740352"))
  }

  /// A target's estimate (the CLI passes the K210's) lands in each row, with its fit.
  func testDeviceEstimateIsAColumn() throws {
    let study = try ScalingStudy("mobilenet-v1", widths: [0.25, 1], resolutions: [1]) { graph in
      let macs = Double(try CostAnalysis.analyze(graph).totalMACs)
      return (macs / 1e6, macs < 1e8)
    }
    XCTAssertEqual(study.points.map { $0.deviceMs ?? -1 }, study.points.map { Double($0.macs) / 1e6 })
    XCTAssertEqual(study.points.map(\.deviceFits), [true, false])
    let text = study.renderText()
    XCTAssertTrue(text.contains("device ms"), text)
    XCTAssertTrue(text.hasSuffix(String(format: "%9.2f", Double(study.points[1].macs) / 1e6) + " (does not fit)"), text)
    XCTAssertFalse(try ScalingStudy("mobilenet-v1").renderText().contains("device ms"))
  }

  func testAxesParse() throws {
    let axes = try ScalingStudy.axes(["width=0.25,0.5,1", "resolution=0.5,1"])
    XCTAssertEqual(axes.widths, [0.25, 0.5, 1])
    XCTAssertEqual(axes.depths, [1])
    XCTAssertEqual(axes.resolutions, [0.5, 1])
    XCTAssertThrowsError(try ScalingStudy.axes(["width=0.5,x"])) { error in
      XCTAssertTrue("\(error)".contains("'width=0.5,x' is not width=…"), "\(error)")
    }
  }
}
