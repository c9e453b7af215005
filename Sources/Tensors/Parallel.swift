import Dispatch

/// Deterministic data parallelism: work is cut into a fixed number of contiguous chunks that
/// depends only on the problem size, never on the number of cores or on timing, so any
/// per-chunk partial results can be combined in a fixed order.
public enum Parallel {
  /// Upper bound on the number of chunks a batch is split into.
  public static let maxChunks = 8

  /// The chunk ranges for `count` items.
  public static func chunks(_ count: Int, maxChunks: Int = Parallel.maxChunks) -> [Range<Int>] {
    let n = max(1, min(count, maxChunks))
    return (0..<n).map { c in (c * count / n)..<((c + 1) * count / n) }
  }

  /// Runs `body` once per chunk, possibly concurrently (on ``WorkerPool``'s threads, or GCD's
  /// while the pool runs another region); returns when all are done.
  public static func forEachChunk(_ chunks: [Range<Int>], _ body: (Int, Range<Int>) -> Void) {
    if chunks.count == 1 { body(0, chunks[0]); return }
    if WorkerPool.shared.run(chunks.count, { c in body(c, chunks[c]) }) { return }
    DispatchQueue.concurrentPerform(iterations: chunks.count) { c in body(c, chunks[c]) }
  }
}

/// A raw pointer that may cross into `concurrentPerform`; each chunk writes a disjoint region.
public struct SendablePointer<T>: @unchecked Sendable {
  public let p: UnsafeMutablePointer<T>
  @inlinable public init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

extension Parallel {
  /// Elementwise work over `count` elements: blocks of at least `minimumBlock` elements whose
  /// boundaries are multiples of `alignment` (so SIMD loops see whole vectors except at the
  /// very end), run concurrently when there is more than one. For updates where every element
  /// is computed independently, so the split cannot change any result.
  public static func forEachBlock(
    count: Int, minimumBlock: Int = 1 << 15, alignment: Int = 16, _ body: (Range<Int>) -> Void
  ) {
    precondition(alignment > 0 && minimumBlock > 0, "Parallel.forEachBlock: alignment and block size must be positive")
    guard count > 0 else { return }
    let blocks = max(1, min(maxChunks, count / max(minimumBlock, 1)))
    if blocks == 1 { body(0..<count); return }
    let bounds = (0...blocks).map { b in b == blocks ? count : (b * count / blocks) / alignment * alignment }
    forEachChunk((0..<blocks).map { bounds[$0]..<bounds[$0 + 1] }) { _, range in body(range) }
  }
}
