import XCTest
@testable import Training

/// Central finite differences for a scalar function of several inputs, accumulated in Double,
/// compared elementwise with the analytic gradient: |analytic − numeric| ≤ atol + rtol·|numeric|
/// where atol is `absoluteFraction` of the largest numeric component. The defaults make a 1%
/// error in any component above a fifth of the largest fail (see `testCheckerCatchesOnePercentError`).
enum GradientChecker {
  struct Mismatch: CustomStringConvertible {
    let input: Int, index: Int, analytic: Double, numeric: Double
    var description: String { "input \(input)[\(index)]: analytic \(analytic), numeric \(numeric)" }
  }

  /// Numeric gradients of `f` at `inputs`.
  static func numeric(_ inputs: [Tensor<Float>], step: Float, _ f: ([Variable]) -> Variable) -> [[Double]] {
    inputs.indices.map { k in
      (0..<inputs[k].count).map { i in
        func value(_ delta: Float) -> Double {
          var shifted = inputs
          shifted[k].scalars[i] += delta
          let out = withoutGradients { f(shifted.map { Variable($0) }) }
          return out.value.scalars.reduce(0.0) { $0 + Double($1) }
        }
        let h = Double((inputs[k].scalars[i] + step) - inputs[k].scalars[i])  // the step actually taken
        return (value(step) - value(-step)) / (2 * h)
      }
    }
  }

  /// Analytic gradients of `f` at `inputs` (backward from the sum of the output).
  static func analytic(_ inputs: [Tensor<Float>], _ f: ([Variable]) -> Variable) -> [[Double]] {
    let vars = inputs.map { Variable($0, requiresGrad: true) }
    let out = f(vars)
    out.backward()
    return vars.map { v in (v.grad ?? Tensor(zeros: v.shape)).scalars.map(Double.init) }
  }

  /// Mismatches between `analytic` and numeric gradients.
  static func mismatches(_ analytic: [[Double]], _ numeric: [[Double]], rtol: Double, absoluteFraction: Double) -> [Mismatch] {
    let scale = numeric.joined().map(Swift.abs).max() ?? 0
    var out: [Mismatch] = []
    for (k, (a, n)) in zip(analytic, numeric).enumerated() {
      for i in a.indices where Swift.abs(a[i] - n[i]) > absoluteFraction * scale + rtol * Swift.abs(n[i]) {
        out.append(Mismatch(input: k, index: i, analytic: a[i], numeric: n[i]))
      }
    }
    return out
  }

  /// Asserts that the analytic gradient of `f` matches finite differences at `inputs`.
  static func check(_ name: String, _ inputs: [Tensor<Float>], step: Float = 2e-3, rtol: Double = 4e-3,
                    absoluteFraction: Double = 1e-3, file: StaticString = #filePath, line: UInt = #line,
                    _ f: ([Variable]) -> Variable) {
    let a = analytic(inputs, f), n = numeric(inputs, step: step, f)
    XCTAssertTrue(n.joined().contains { $0 != 0 }, "\(name): the numeric gradient is all zero, the check would be vacuous", file: file, line: line)
    let bad = mismatches(a, n, rtol: rtol, absoluteFraction: absoluteFraction)
    XCTAssertTrue(bad.isEmpty, "\(name): \(bad.count) gradient mismatches, e.g. \(bad.prefix(3))", file: file, line: line)
  }

  /// A deterministic tensor with values in [low, high).
  static func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor<Float> {
    var rng = RandomStream(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, rng: &rng)
  }
}
