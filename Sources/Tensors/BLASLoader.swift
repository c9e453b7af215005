import CBLAS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Loads OpenBLAS at run time, after choosing its kernel set.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's package) picks its kernels once, when the library
/// is loaded, from the CPU model number. Version 0.3.21 does not know recent Xeons and falls back
/// to the generic SSE3 "Prescott" kernels, 3–7× slower than the AVX-512 ones on the same
/// machine. So the library is not linked; on first use this loader sets `OPENBLAS_CORETYPE`
/// from the CPU's feature flags (AVX-512 → SkylakeX, AVX2+FMA → Haswell) unless the user has set
/// it, then `dlopen`s OpenBLAS and resolves the few entry points Workbench calls.
enum BLASLoader {
  typealias SgemmFn =
    @convention(c) (
      CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Float,
      UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
  typealias SetThreadsFn = @convention(c) (Int32) -> Void
  /// LAPACK's `dgesvd_` (Fortran calling convention: every argument by pointer, then the
  /// hidden lengths of the two character arguments).
  typealias DgesvdFn =
    @convention(c) (
      UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
      UnsafeMutablePointer<Double>?, UnsafePointer<Int32>?, UnsafeMutablePointer<Double>?,
      UnsafeMutablePointer<Double>?, UnsafePointer<Int32>?, UnsafeMutablePointer<Double>?, UnsafePointer<Int32>?,
      UnsafeMutablePointer<Double>?, UnsafePointer<Int32>?, UnsafeMutablePointer<Int32>?, Int, Int
    ) -> Void
  typealias CoreNameFn = @convention(c) () -> UnsafeMutablePointer<CChar>?

  struct Library {
    let sgemm: SgemmFn
    let setThreads: SetThreadsFn
    let coreName: String
    /// LAPACK's SVD, which OpenBLAS bundles (nil for a build without LAPACK).
    let dgesvd: DgesvdFn?
  }

  /// Candidate sonames and paths, most specific first.
  static let candidates = [
    "libopenblas.so.0", "libopenblas.so",
    "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
    "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib",
  ]

  /// The loaded library. A machine without OpenBLAS cannot run Workbench at all, so failing to
  /// load it stops the process with a sentence that says what to install.
  static let library: Library = {
    _ = MemoryTuning.applied
    if getenv("OPENBLAS_CORETYPE") == nil, let core = preferredCoreType() {
      setenv("OPENBLAS_CORETYPE", core, 0)
    }
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL) else { continue }
      guard let s = dlsym(handle, "cblas_sgemm"), let t = dlsym(handle, "openblas_set_num_threads") else { continue }
      let setThreads = unsafeBitCast(t, to: SetThreadsFn.self)
      setThreads(1)
      var core = "unknown"
      if let c = dlsym(handle, "openblas_get_corename"), let p = unsafeBitCast(c, to: CoreNameFn.self)() {
        core = String(cString: p)
      }
      let svd = dlsym(handle, "dgesvd_").map { unsafeBitCast($0, to: DgesvdFn.self) }
      return Library(sgemm: unsafeBitCast(s, to: SgemmFn.self), setThreads: setThreads, coreName: core, dgesvd: svd)
    }
    fatalError(
      "Workbench needs OpenBLAS, but none of \(candidates) could be loaded; install it (Debian: apt-get install libopenblas-dev, or run scripts/bootstrap.sh)"
    )
  }()

  /// The OpenBLAS core type matching this CPU's vector extensions (``CPUFeatures/flags``).
  static func preferredCoreType() -> String? {
    let flags = CPUFeatures.flags
    if flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SKYLAKEX" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "HASWELL" }
    return nil
  }
}
