#if canImport(Glibc)
  import Glibc
#endif

/// Keeps freed tensor memory in the process instead of returning it to the kernel.
///
/// Every op allocates its output, and a training step frees and re-allocates the same sizes
/// over and over. With glibc's defaults, blocks of a few MiB are mmap-ed and munmap-ed each
/// time, so every step pays a page fault and a page clear per 4 KiB (a quarter of the step time
/// in our profile). Raising the mmap threshold to its maximum (32 MiB) and never trimming the
/// heap lets the allocator reuse the pages, as PyTorch's caching allocator does. Applied once
/// (``applied``), when OpenBLAS is loaded or when the worker pool starts (the first parallel
/// region of more than one chunk), whichever comes first — so from a process's first kernels
/// on, after at most their first allocations. Applied only at OpenBLAS's loading, a process
/// whose first layers never call sgemm (the image-lane and direct kernels) had run them with
/// glibc's defaults: a 32→128 layer at 6×6 took
/// 0.46–0.71 ms per call instead of 0.24, and 64→128 at 6×6 re-faulted 110 pages per call
/// (median 0.68 ms against 0.41).
/// `WORKBENCH_MALLOC_DEFAULTS=1` keeps glibc's defaults.
enum MemoryTuning {
  /// ``apply()``, once per process.
  static let applied = apply()

  typealias MalloptFn = @convention(c) (Int32, Int32) -> Int32
  // glibc's <malloc.h> parameter numbers (not exported by Swift's Glibc module)
  static let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3

  /// True when glibc accepted the settings.
  private static func apply() -> Bool {
    #if canImport(Glibc)
      guard getenv("WORKBENCH_MALLOC_DEFAULTS") == nil, let symbol = dlsym(nil, "mallopt") else { return false }
      let mallopt = unsafeBitCast(symbol, to: MalloptFn.self)
      return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, Int32.max) == 1
        && mallopt(topPad, 64 << 20) == 1
    #else
      return false
    #endif
  }
}
