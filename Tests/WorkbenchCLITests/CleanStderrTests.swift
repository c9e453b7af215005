import Foundation
import XCTest

/// Every command, run as a subprocess, leaves nothing from libhdf5 on standard error: no error
/// stack printed by the library and no "HDF5: infinite loop closing library" from its `atexit`
/// handler (which appears when an identifier libhdf5 owns is still open as the process ends).
final class CleanStderrTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-stderr-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  /// The lines of `stderr` that libhdf5 wrote.
  static func libhdf5Lines(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").map(String.init).filter {
      $0.hasPrefix("HDF5") || $0.contains("infinite loop closing library")
    }
  }

  func testTheFilterFindsWhatLibhdf5Prints() {
    let leak = "cost table\nHDF5: infinite loop closing library\n      L,T_top,P,P,FD,E,E,E\n"
    XCTAssertEqual(Self.libhdf5Lines(leak), ["HDF5: infinite loop closing library"])
    let diag = "HDF5-DIAG: Error detected in HDF5 (1.10.8) thread 1:\n  #000: H5F.c line 278 in H5Fis_hdf5()\n"
    XCTAssertEqual(Self.libhdf5Lines(diag).count, 1)
    XCTAssertEqual(Self.libhdf5Lines("error: HDF5 file 'x.h5' does not exist.\n"), [])
  }

  func testNoCommandLeavesLibhdf5OutputOnStderr() throws {
    let workbench = WorkbenchProcess(cache: scratch.appendingPathComponent("cache"))
    let reports = scratch.appendingPathComponent("Reports").path
    let data = scratch.appendingPathComponent("shapes.h5").path
    let quick = ["run", "experiments/quick.json", "--reports", reports, "--set", "train.epochs=1"]
    /// Runs `args`, expecting exit status `status`, and asserts that libhdf5 printed nothing.
    func check(_ args: [String], status: Int32 = 0) throws {
      let r = try workbench.run(args)
      let command = "workbench " + args.joined(separator: " ")
      XCTAssertEqual(r.status, status, "\(command)\n\(r.err)")
      XCTAssertEqual(Self.libhdf5Lines(r.err), [], "\(command) left libhdf5 output on stderr:\n\(r.err)")
    }
    try check(["version"])
    for zooName in ["tiny-yolo", "mobilenet-v1", "squeezenet1.1-reid", "squeezenet1.1", "tiny-yolo-shapes"] {
      try check(["inspect", "model", zooName])
    }
    try check(["inspect", "model", "Experiments/models/tiny-yolo.json"])
    try check(["inspect", "model", "no-such-model"], status: 1)
    try check(["validate", "experiments/quick.json"])
    try check(["data", "generate", "shapes", "--out", data, "--size", "32", "--counts", "8,4,4"])
    try check(["data", "inspect", data])
    try check(["inspect", "dataset", data])
    try check(["data", "preview", data, "--out", scratch.appendingPathComponent("grid.png").path])
    try check(["data", "inspect", scratch.appendingPathComponent("missing.h5").path], status: 1)
    try check(quick)
    try check(quick)  // every stage from the cache
    try check(["cache", "list"])
    let runs = try FileManager.default.contentsOfDirectory(atPath: reports + "/quick").filter { $0 != "latest" }
      .sorted()
    XCTAssertEqual(runs.count, 2, "\(runs)")
    guard runs.count == 2 else { return }
    let (a, b) = (reports + "/quick/" + runs[0], reports + "/quick/" + runs[1])
    try check(["inspect", "model", a + "/stages/train/weights.h5"])
    try check(["report", a])
    try check(["compare", a, b, "--out", scratch.appendingPathComponent("compare").path])
  }
}
