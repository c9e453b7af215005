import CHDF5
import Foundation
import HDF5
import XCTest

/// libhdf5's per-thread state after Workbench's calls: error printing off and an empty error
/// stack on every thread. An entry left on the stack of a thread that then ends keeps libhdf5's
/// error identifiers open, and the process ends with "HDF5: infinite loop closing library".
final class HDF5ThreadStateTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  /// The number of entries on the calling thread's HDF5 error stack.
  func stackDepth() -> Int { Int(H5Eget_num(wb_h5e_default())) }

  /// Runs `body` on a new thread and waits for it.
  func onNewThread(_ body: @escaping () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      body(); done.signal()
    }
    thread.start()
    done.wait()
  }

  func testFailedCallsLeaveTheErrorStackEmpty() throws {
    // H5Fis_hdf5 on a missing path fails inside libhdf5 (4 entries), though isHDF5 only
    // answers false.
    XCTAssertFalse(HDF5File.isHDF5(dir.file("missing.h5")))
    XCTAssertEqual(stackDepth(), 0)
    let file = try HDF5File.create(at: dir.file("a.h5"))
    XCTAssertThrowsError(try file.root.dataset("nothing/here"))
    XCTAssertEqual(stackDepth(), 0)
    XCTAssertEqual(file.root.attributeNames(), [])  // ends on an expected out-of-range error
    XCTAssertEqual(stackDepth(), 0)
    try file.root.createGroup("g")
    XCTAssertThrowsError(try file.root.createGroup("g"))  // the name is taken
    XCTAssertEqual(stackDepth(), 0)
  }

  func testErrorPrintingIsOffAndTheStackEmptyOnEveryThread() {
    // Touch the library on this thread first, so the new thread is not the one that opened it.
    _ = HDF5File.isHDF5(dir.file("missing.h5"))
    var printer: H5E_auto2_t? = nil
    var depth = -1
    onNewThread {
      _ = HDF5File.isHDF5(self.dir.file("missing-too.h5"))
      var data: UnsafeMutableRawPointer? = nil
      H5Eget_auto2(wb_h5e_default(), &printer, &data)
      depth = self.stackDepth()
    }
    XCTAssertNil(printer, "libhdf5 would print its error stack to stderr on this thread")
    XCTAssertEqual(depth, 0)
  }
}
