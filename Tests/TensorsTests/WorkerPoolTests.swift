import Dispatch
import XCTest

@testable import Tensors

/// The worker pool behind `Parallel.forEachChunk`: every chunk runs exactly once per region,
/// its writes are visible when the region returns, regions started inside a region or from
/// another thread while one runs still complete (without the pool), and many short regions
/// in a row (the pattern of a training step) neither lose nor repeat chunks.
final class WorkerPoolTests: XCTestCase {
  func testEveryChunkRunsOnceAndItsWritesAreVisible() {
    for count in [2, 3, 8, 64] {
      for round in 0..<500 {
        var hits = [Int](repeating: 0, count: count)
        hits.withUnsafeMutableBufferPointer { h in
          let p = SendablePointer(h.baseAddress!)
          Parallel.forEachChunk(Parallel.chunks(count, maxChunks: count)) { c, range in
            p.p[c] += range == c..<(c + 1) ? c + round : -1_000_000
          }
        }
        XCTAssertEqual(hits, (0..<count).map { $0 + round }, "\(count) chunks, round \(round)")
      }
    }
  }

  /// Once a parallel region has run, `MemoryTuning` is in effect: a step's pattern of freeing
  /// and re-allocating MiB-sized outputs reuses the process's pages instead of faulting them in
  /// again — counted with getrusage over 20 rounds after a first one (with glibc's defaults,
  /// `WORKBENCH_MALLOC_DEFAULTS=1`, this pattern re-faults about 3 MB per round). In a shared
  /// test process OpenBLAS has usually loaded first, so this checks that the settings are in
  /// effect, not which of the two places applied them.
  func testFreedMemoryStaysInTheProcessOnceAKernelRan() throws {
    #if canImport(Glibc)
      Parallel.forEachChunk(Parallel.chunks(2)) { _, _ in }
      try XCTSkipIf(getenv("WORKBENCH_MALLOC_DEFAULTS") != nil, "glibc's defaults were asked for")
      func round() {
        // outputs of a few layers, freed in the reverse order, as a step's temporaries are
        var arrays = (0..<3).map { [Float](repeating: Float($0), count: 384 * 1024 + 17 * $0) }
        for i in arrays.indices { arrays[i][arrays[i].count - 1] += 1 }
        while !arrays.isEmpty { arrays.removeLast() }
      }
      func faults() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_minflt
      }
      round()
      let before = faults()
      for _ in 0..<20 { round() }
      // 20 rounds touch 90 MiB (23,000 pages); glibc's defaults re-fault about 15,000 of them
      XCTAssertLessThan(faults() - before, 500)
    #endif
  }

  func testNestedRegionsComplete() {
    var sums = [Int](repeating: 0, count: 4 * 4)
    sums.withUnsafeMutableBufferPointer { s in
      let p = SendablePointer(s.baseAddress!)
      Parallel.forEachChunk(Parallel.chunks(4)) { outer, _ in
        Parallel.forEachChunk(Parallel.chunks(4)) { inner, _ in p.p[outer * 4 + inner] = outer * 10 + inner }
      }
    }
    XCTAssertEqual(sums, (0..<4).flatMap { o in (0..<4).map { o * 10 + $0 } })
  }

  func testRegionsFromSeveralThreadsComplete() {
    let totals = [Int](repeating: 0, count: 4)
    var results = totals
    results.withUnsafeMutableBufferPointer { r in
      let out = SendablePointer(r.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: 4) { t in
        var total = 0
        for _ in 0..<200 {
          var parts = [Int](repeating: 0, count: 8)
          parts.withUnsafeMutableBufferPointer { q in
            let p = SendablePointer(q.baseAddress!)
            Parallel.forEachChunk(Parallel.chunks(8)) { c, _ in p.p[c] = c + t }
          }
          total += parts.reduce(0, +)
        }
        out.p[t] = total
      }
    }
    XCTAssertEqual(results, (0..<4).map { t in 200 * (28 + 8 * t) })
  }
}
