import Tensors
import XCTest

/// LAPACK's SVD through the loaded OpenBLAS: singular values of a hand-made matrix and the
/// reconstruction U·Σ·Vᵀ of a random one.
final class SingularValueDecompositionTests: XCTestCase {
  func testSingularValuesOfAHandMadeMatrix() throws {
    // [[3, 0], [0, −4], [0, 0]]: σ = 4, 3 with v = (0, 1), (1, 0)
    let svd = try SingularValueDecomposition([3, 0, 0, -4, 0, 0], rows: 3, columns: 2)
    XCTAssertEqual(svd.singularValues, [4, 3])
    XCTAssertEqual(svd.vt.map(abs), [0, 1, 1, 0])
  }

  func testTheFactorsReconstructTheMatrix() throws {
    var rng = RandomStream(seed: 5)
    let (m, n) = (5, 3)
    let matrix = (0..<(m * n)).map { _ in Double(rng.nextFloat(in: -1..<1)) }
    let svd = try SingularValueDecomposition(matrix, rows: m, columns: n)
    XCTAssertEqual(svd.singularValues, svd.singularValues.sorted(by: >))
    for i in 0..<m {
      for j in 0..<n {
        let value = (0..<n).reduce(0.0) { $0 + svd.u[i * n + $1] * svd.singularValues[$1] * svd.vt[$1 * n + j] }
        XCTAssertEqual(value, matrix[i * n + j], accuracy: 1e-12)
      }
    }
  }
}
