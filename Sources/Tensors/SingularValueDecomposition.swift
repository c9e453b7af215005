/// The thin singular value decomposition M = U·diag(σ)·Vᵀ of a real matrix, computed in double
/// precision by LAPACK's `dgesvd` from the OpenBLAS that ``BLASLoader`` loads (OpenBLAS bundles
/// LAPACK). Low-rank factorisation truncates it: keeping the r largest σ gives the best rank-r
/// approximation in the Frobenius norm (Eckart–Young).
public struct SingularValueDecomposition: Sendable {
  /// Rows m and columns n of the decomposed matrix; k = min(m, n).
  public let rows: Int, columns: Int
  /// U, m × k, row-major; its columns are the left singular vectors.
  public let u: [Double]
  /// σ₁ ≥ σ₂ ≥ … ≥ σ_k ≥ 0.
  public let singularValues: [Double]
  /// Vᵀ, k × n, row-major; its rows are the right singular vectors.
  public let vt: [Double]

  /// Why the decomposition failed.
  public enum Failure: Error, CustomStringConvertible, Equatable {
    /// The loaded OpenBLAS has no LAPACK.
    case lapackUnavailable
    /// A shape or value LAPACK rejects, or a QR iteration that did not converge (`info`).
    case failed(info: Int32)

    public var description: String {
      switch self {
      case .lapackUnavailable:
        return
          "The loaded OpenBLAS has no LAPACK (dgesvd_); install a full OpenBLAS (Debian: libopenblas0-pthread) for low-rank factorisation."
      case .failed(let info):
        return
          "LAPACK's dgesvd failed (info \(info)): the matrix has non-finite values or the iteration did not converge."
      }
    }
  }

  /// Decomposes the `rows` × `columns` matrix `matrix` (row-major).
  /// - Throws: ``Failure``.
  public init(_ matrix: [Double], rows: Int, columns: Int) throws {
    precondition(matrix.count == rows * columns && rows > 0 && columns > 0, "SVD: matrix is not rows × columns")
    guard let dgesvd = BLASLoader.library.dgesvd else { throw Failure.lapackUnavailable }
    let k = min(rows, columns)
    // LAPACK is column-major: A[i + j·m] = M[i][j].
    var a = [Double](repeating: 0, count: rows * columns)
    for i in 0..<rows { for j in 0..<columns { a[i + j * rows] = matrix[i * columns + j] } }
    var s = [Double](repeating: 0, count: k)
    var uColumns = [Double](repeating: 0, count: rows * k)
    var vtColumns = [Double](repeating: 0, count: k * columns)
    var (m, n, lda, ldu, ldvt) = (Int32(rows), Int32(columns), Int32(rows), Int32(rows), Int32(k))
    var info: Int32 = 0
    let job: [CChar] = [CChar(UInt8(ascii: "S")), 0]
    func call(_ work: inout [Double], _ lwork: Int32) {
      var lw = lwork
      dgesvd(job, job, &m, &n, &a, &lda, &s, &uColumns, &ldu, &vtColumns, &ldvt, &work, &lw, &info, 1, 1)
    }
    var query = [Double](repeating: 0, count: 1)
    call(&query, -1)
    guard info == 0 else { throw Failure.failed(info: info) }
    var work = [Double](repeating: 0, count: max(1, Int(query[0])))
    call(&work, Int32(work.count))
    guard info == 0 else { throw Failure.failed(info: info) }
    var u = [Double](repeating: 0, count: rows * k), vt = [Double](repeating: 0, count: k * columns)
    for i in 0..<rows { for j in 0..<k { u[i * k + j] = uColumns[i + j * rows] } }
    for i in 0..<k { for j in 0..<columns { vt[i * columns + j] = vtColumns[i + j * k] } }
    (self.rows, self.columns, self.u, self.singularValues, self.vt) = (rows, columns, u, s, vt)
  }
}
