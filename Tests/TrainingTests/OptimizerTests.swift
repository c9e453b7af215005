import Foundation
import XCTest

@testable import Training

/// Two steps of each optimizer on θ = [1, −2] with gradients g₁ = [0.5, 0.25], g₂ = [−1, 2],
/// lr 0.1, against values worked out by hand / numpy (float64), e.g. SGD with μ = 0.9, λ = 0.1:
/// step 1: g = 0.5 + 0.1·1 = 0.6, b = 0.6, θ = 1 − 0.06 = 0.94;
/// step 2: g = −1 + 0.1·0.94 = −0.906, b = 0.9·0.6 − 0.906 = −0.366, θ = 0.94 + 0.0366 = 0.9766.
final class OptimizerTests: XCTestCase {
  func run(_ rule: Optimizer.Rule, shape: [Int] = [1, 2], decayAll: Bool = false) -> [Float] {
    let theta = Variable(Tensor(shape: shape, scalars: [1, -2]), requiresGrad: true)
    let params = TrainableParameter.groups([("w", theta)], decayAll: decayAll)
    var optimizer = Optimizer(rule)
    for g in [[Float(0.5), 0.25], [-1, 2]] {
      theta.grad = Tensor(shape: shape, scalars: g)
      optimizer.step(params, learningRate: 0.1)
    }
    return theta.value.scalars
  }

  func assertClose(_ a: [Float], _ b: [Float], _ tol: Float = 2e-6, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: tol, file: file, line: line) }
  }

  func testSGDMomentumWeightDecay() {
    assertClose(run(.sgd(SGD(momentum: 0.9, weightDecay: 0.1))), [0.9766, -2.18945])
  }

  func testSGDNesterov() {
    assertClose(run(.sgd(SGD(momentum: 0.9, nesterov: true))), [1.0545, -2.44775])
  }

  func testPlainSGD() {
    assertClose(run(.sgd(SGD(momentum: 0))), [1.05, -2.225])  // θ − 0.1·(g₁ + g₂)
  }

  func testAdam() {
    assertClose(run(.adam(Adam())), [0.93661035, -2.18214657])
    assertClose(run(.adam(Adam(weightDecay: 0.1))), [0.92526352, -2.17625468])
  }

  func testAdamWDecouplesWeightDecay() {
    assertClose(run(.adam(.adamW(weightDecay: 0.1))), [0.91771035, -2.14134657])
  }

  func testBiasAndNormParametersDoNotDecayByDefault() {
    // A rank-1 parameter (bias, BN γ/β) ignores weight decay unless decayAll is set.
    assertClose(run(.sgd(SGD(momentum: 0.9, weightDecay: 0.1)), shape: [2]), run(.sgd(SGD(momentum: 0.9)), shape: [2]))
    assertClose(run(.sgd(SGD(momentum: 0.9, weightDecay: 0.1)), shape: [2], decayAll: true), [0.9766, -2.18945])
    let groups = TrainableParameter.groups([
      ("conv.weight", Variable(Tensor(zeros: [2, 1, 3, 3]))), ("conv.bias", Variable(Tensor(zeros: [2]))),
    ])
    XCTAssertEqual(groups.map(\.decays), [true, false])
  }

  func testParametersWithoutGradientAreUntouched() {
    let a = Variable(Tensor(shape: [1], scalars: [1]), requiresGrad: true)
    var optimizer = Optimizer(.sgd(SGD()))
    optimizer.step(TrainableParameter.groups([("a", a)]), learningRate: 1)
    XCTAssertEqual(a.value.scalars, [1])
  }

  func testGlobalNormClipping() {
    let a = Variable(Tensor(zeros: [1]), requiresGrad: true), b = Variable(Tensor(zeros: [1]), requiresGrad: true)
    a.grad = Tensor(shape: [1], scalars: [3])
    b.grad = Tensor(shape: [1], scalars: [4])
    let params = TrainableParameter.groups([("a", a), ("b", b)])
    XCTAssertEqual(GradientClipping.clip(params, maxNorm: 10), 5)
    XCTAssertEqual(a.grad?.scalars, [3])  // below the limit: unchanged
    GradientClipping.clip(params, maxNorm: 1)
    XCTAssertEqual(a.grad?.scalars[0] ?? 0, 0.6, accuracy: 1e-6)
    XCTAssertEqual(b.grad?.scalars[0] ?? 0, 0.8, accuracy: 1e-6)
  }

  func testStateRoundTripsThroughJSON() throws {
    var optimizer = Optimizer(.adam(Adam()))
    let w = Variable(Tensor(shape: [2], scalars: [0.1, 0.2]), requiresGrad: true)
    w.grad = Tensor(shape: [2], scalars: [0.3, -0.7])
    optimizer.step(TrainableParameter.groups([("w", w)]), learningRate: 0.01)
    let decoded = try JSONDecoder().decode(Optimizer.self, from: try JSONEncoder().encode(optimizer))
    XCTAssertEqual(decoded.state.step, 1)
    XCTAssertEqual(decoded.rule, optimizer.rule)
    XCTAssertEqual(Set(decoded.state.buffers.keys), ["expAvg/w", "expAvgSq/w"])
  }
}
