import CBLAS

/// Matrix products through OpenBLAS `cblas_sgemm`.
extension Tensor where Scalar == Float {
  /// The matrix product of `a` [m, k] and `b` [k, n], optionally with either transposed.
  /// Batched operands are not supported here; the autograd composes them.
  public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: operands must be matrices, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(
      k == kb, "matmul: inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
    var out = [Float](repeating: 0, count: m * n)
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        out.withUnsafeMutableBufferPointer { pc in
          BLAS.sgemm(
            transA: transposeA, transB: transposeB, m: m, n: n, k: k,
            alpha: 1, a: pa.baseAddress, lda: a.shape[1], b: pb.baseAddress, ldb: b.shape[1],
            beta: 0, c: pc.baseAddress, ldc: n)
        }
      }
    }
    return Tensor(shape: [m, n], scalars: out)
  }
}

/// The BLAS entry points Workbench uses, with OpenBLAS's own threading turned off: kernels
/// parallelise over images themselves, in fixed chunks, so results do not depend on timing.
public enum BLAS {
  /// The OpenBLAS kernel set in use (e.g. "SkylakeX"), for manifests and benchmark output.
  public static var coreName: String { BLASLoader.library.coreName }

  /// Runs `body` with OpenBLAS allowed `n` threads (benchmarks measure the machine's peak this
  /// way), then returns to single-threaded calls.
  public static func withThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
    let lib = BLASLoader.library
    lib.setThreads(Int32(n))
    defer { lib.setThreads(1) }
    return try body()
  }

  /// `C = alpha·op(A)·op(B) + beta·C`, row-major.
  @inline(__always)
  public static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>?, lda: Int, b: UnsafePointer<Float>?, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>?, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    BLASLoader.library.sgemm(
      CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}
