import Autograd
import Tensors
import XCTest

/// The one finite-difference gradient checker of the test suites (architecture issue #12,
/// item 5): Autograd's op table, Graph's executor-vs-reference check and every Training loss use
/// it, so the step, the accumulation in Double and the tolerance rule are defined once.
///
/// Numeric gradients are central differences `(L(x + h·e) − L(x − h·e)) / 2h`, with `h` the step
/// actually taken in Float (`(x + step) − x`) and `L` accumulated in Double.
///
/// `TestSupport` is a regular library target that only test targets depend on (it imports XCTest
/// for its assertions); no library or executable links it.
public enum GradientChecker {
  /// One component whose analytic and numeric derivatives disagree.
  public struct Mismatch: CustomStringConvertible, Sendable {
    /// Which input and which element of it.
    public let input: Int, index: Int
    /// The two derivatives.
    public let analytic: Double, numeric: Double
    public var description: String { "input \(input)[\(index)]: analytic \(analytic), numeric \(numeric)" }
  }

  /// Central-difference derivatives of the scalar `loss` with respect to the given elements of
  /// each input (all elements by default), in the order of `elements`.
  public static func numeric(
    _ inputs: [Tensor<Float>], step: Float, elements: ((Int) -> [Int])? = nil,
    _ loss: ([Tensor<Float>]) throws -> Double
  ) rethrows -> [[Double]] {
    try inputs.indices.map { k in
      try (elements?(k) ?? Array(0..<inputs[k].count)).map { i in
        func value(_ delta: Float) throws -> Double {
          var shifted = inputs
          shifted[k].scalars[i] += delta
          return try loss(shifted)
        }
        let h = Double((inputs[k].scalars[i] + step) - inputs[k].scalars[i])  // the step actually taken
        return (try value(step) - value(-step)) / (2 * h)
      }
    }
  }

  /// Numeric gradients of the sum of `f`'s output at `inputs` (evaluated without recording).
  public static func numeric(_ inputs: [Tensor<Float>], step: Float, _ f: ([Variable]) -> Variable) -> [[Double]] {
    numeric(inputs, step: step) { shifted in
      let out = withoutGradients { f(shifted.map { Variable($0) }) }
      return out.value.scalars.reduce(0.0) { $0 + Double($1) }
    }
  }

  /// Analytic gradients of `f` at `inputs` (backward from the sum of the output).
  public static func analytic(_ inputs: [Tensor<Float>], _ f: ([Variable]) -> Variable) -> [[Double]] {
    let vars = inputs.map { Variable($0, requiresGrad: true) }
    let out = f(vars)
    out.backward()
    return vars.map { v in (v.grad ?? Tensor(zeros: v.shape)).scalars.map(Double.init) }
  }

  /// Mismatches under |analytic − numeric| ≤ atol + rtol·|numeric|, where atol is
  /// `absoluteFraction` of the largest numeric component. The defaults of ``check(_:_:step:rtol:absoluteFraction:file:line:_:)``
  /// make a 1% error in any component above a fifth of the largest fail.
  public static func mismatches(_ analytic: [[Double]], _ numeric: [[Double]], rtol: Double, absoluteFraction: Double)
    -> [Mismatch]
  {
    let scale = numeric.joined().map(Swift.abs).max() ?? 0
    return mismatches(analytic, numeric, absolute: absoluteFraction * scale, relative: rtol)
  }

  /// Mismatches under |analytic − numeric| ≤ absolute + relative·|numeric|, component by
  /// component (`analytic[k][i]` pairs with `numeric[k][i]`).
  public static func mismatches(_ analytic: [[Double]], _ numeric: [[Double]], absolute: Double, relative: Double)
    -> [Mismatch]
  {
    var out: [Mismatch] = []
    for (k, (a, n)) in zip(analytic, numeric).enumerated() {
      for i in a.indices where Swift.abs(a[i] - n[i]) > absolute + relative * Swift.abs(n[i]) {
        out.append(Mismatch(input: k, index: i, analytic: a[i], numeric: n[i]))
      }
    }
    return out
  }

  /// Asserts that the analytic gradient of `f` (backward from the sum of its output) matches
  /// finite differences at `inputs`, and that the check is not vacuous (some derivative ≠ 0).
  public static func check(
    _ name: String, _ inputs: [Tensor<Float>], step: Float = 2e-3, rtol: Double = 4e-3,
    absoluteFraction: Double = 1e-3, file: StaticString = #filePath, line: UInt = #line,
    _ f: ([Variable]) -> Variable
  ) {
    let a = analytic(inputs, f), n = numeric(inputs, step: step, f)
    XCTAssertTrue(
      n.joined().contains { $0 != 0 }, "\(name): the numeric gradient is all zero, the check would be vacuous",
      file: file, line: line)
    let bad = mismatches(a, n, rtol: rtol, absoluteFraction: absoluteFraction)
    XCTAssertTrue(
      bad.isEmpty, "\(name): \(bad.count) gradient mismatches, e.g. \(bad.prefix(3))", file: file, line: line)
  }

  /// Asserts that `analytic` matches `numeric` component by component within
  /// absolute + relative·|numeric| (for checks whose analytic side is computed by the caller).
  public static func assertClose(
    _ name: String, analytic: [[Double]], numeric: [[Double]], absolute: Double, relative: Double,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(
      analytic.map(\.count), numeric.map(\.count), "\(name): component counts differ", file: file, line: line)
    let bad = mismatches(analytic, numeric, absolute: absolute, relative: relative)
    XCTAssertTrue(
      bad.isEmpty, "\(name): \(bad.count) gradient mismatches, e.g. \(bad.prefix(3))", file: file, line: line)
  }

  /// A deterministic tensor with values in [low, high).
  public static func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor<Float> {
    var rng = RandomStream(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, rng: &rng)
  }
}
