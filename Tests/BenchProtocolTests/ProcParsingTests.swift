import BenchProtocol
import XCTest

/// /proc texts parsed into the counters the load accounting uses (hand-written samples in the
/// kernel's formats, proc(5)).
final class ProcParsingTests: XCTestCase {
  func testProcStatSumsBusyStealAndTotalOverTheAggregateLine() throws {
    let text = """
      cpu  100 5 50 1000 20 3 7 11 4 0
      cpu0 50 2 25 500 10 1 3 5 2 0
      cpu1 50 3 25 500 10 2 4 6 2 0
      intr 12345 0 0
      ctxt 999
      """
    let s = try SystemCPUSnapshot(procStat: text)
    // busy = user 100 + nice 5 + system 50 + irq 3 + softirq 7; guest (4) is inside user already
    XCTAssertEqual(s.busy, 165)
    XCTAssertEqual(s.steal, 11)
    XCTAssertEqual(s.total, 100 + 5 + 50 + 1000 + 20 + 3 + 7 + 11)
    XCTAssertEqual(s.cores, 2)
  }

  func testProcStatWithoutTheCpuLineSaysWhatIsMissing() {
    XCTAssertThrowsError(try SystemCPUSnapshot(procStat: "intr 1 2\n")) { error in
      XCTAssertTrue("\(error)".contains("no aggregate 'cpu' line"), "\(error)")
    }
    XCTAssertThrowsError(try SystemCPUSnapshot(procStat: "cpu  1 2 3\n"))
  }

  func testProcessTicksCountFieldsAfterACommandNameWithSpacesAndParentheses() throws {
    // fields 14 and 15 (utime 321, stime 45) counted after the last ')'
    let line = "1234 (py (worker) 2) S 1 1234 1234 0 -1 4194560 500 0 0 0 321 45 7 8 20 0 3 0 100 0 0"
    XCTAssertEqual(try ProcessCPU.ticks(procPidStat: line), 366)
    XCTAssertThrowsError(try ProcessCPU.ticks(procPidStat: "1234 (short) S 1 2"))
  }

  func testStatusFieldsAreReadInKiBAcrossTabs() {
    let text = "Name:\tpython3\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"
    XCTAssertEqual(ProcessMemory.kib("VmHWM", procPidStatus: text), 123_456)
    XCTAssertEqual(ProcessMemory.kib("VmRSS", procPidStatus: text), 100_000)
    XCTAssertNil(ProcessMemory.kib("VmSwap", procPidStatus: text))
  }

  func testLoadAverageIsTheFirstFigure() {
    XCTAssertEqual(LoadAverage.oneMinute(procLoadavg: "1.95 1.31 1.44 8/158 30094\n"), 1.95)
    XCTAssertNil(LoadAverage.oneMinute(procLoadavg: ""))
  }

  func testTheLiveProcFilesParse() throws {
    let s = try SystemCPUSnapshot.read()
    XCTAssertGreaterThan(s.total, s.busy)
    XCTAssertGreaterThanOrEqual(try ProcessCPU.ticks(pid: getpid()), 0)
    XCTAssertNotNil(ProcessMemory.mib("VmHWM", pid: getpid()))
  }
}
