import XCTest

@testable import K210

/// The KPU timing model against the measurements it is fitted on, and its physical sense.
final class K210TimingTests: XCTestCase {
  func testFitIsWithin15PercentOnEverySipeedRow() {
    let t = K210Timing()
    let residuals = t.residuals()
    for (m, r) in zip(K210Timing.sipeed, residuals) {
      XCTAssertLessThan(abs(r), 0.15, "\(m.width)×\(m.height): \(m.milliseconds) ms measured, residual \(r)")
    }
    // the peak: 576 MAC/cycle; the fit reaches most of it on large maps (Sipeed: about 97%)
    XCTAssertGreaterThan(t.efficiency, 0.85)
    XCTAssertLessThanOrEqual(t.efficiency, 1.0)
    XCTAssertGreaterThan(t.c0, 0)
    XCTAssertLessThan(t.c0, 0.5)
  }

  func testScalesWithClockAndWork() {
    let t = K210Timing()
    let macs = 256.0 * 256 * 128 * 128 * 9
    let at300 = t.milliseconds(macs: macs, weightBytes: 147_456, clockMHz: 300)
    let at400 = t.milliseconds(macs: macs, weightBytes: 147_456, clockMHz: 400)
    XCTAssertEqual(at400, at300 * 0.75, accuracy: 1e-9)
    XCTAssertGreaterThan(t.milliseconds(macs: 2 * macs, weightBytes: 0), t.milliseconds(macs: macs, weightBytes: 0))
    // a tiny map is bound by loading its weights
    XCTAssertEqual(
      t.milliseconds(macs: 1, weightBytes: 294_912, clockMHz: 300), 294_912 / t.loadBytesPerMs, accuracy: 1e-12)
  }
}
