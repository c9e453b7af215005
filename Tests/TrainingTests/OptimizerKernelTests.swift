import Autograd
import XCTest

@testable import Training

/// The vectorised, block-parallel Adam and SGD updates against the scalar formulas written out
/// here in PyTorch's operation order: every element must be bit-identical, for sizes that leave
/// SIMD tails and that split into parallel blocks, with L2 and decoupled weight decay, momentum
/// and Nesterov.
final class OptimizerKernelTests: XCTestCase {
  /// One step of the scalar reference on plain arrays.
  func reference(
    _ adam: Adam, p: inout [Float], g: [Float], m: inout [Float], v: inout [Float], lr: Float, step: Int, decays: Bool
  ) {
    let wd = decays ? adam.weightDecay : 0
    let bc1 = 1 - Float(LibM.pow(Double(adam.beta1), Double(step)))
    let bc2 = 1 - Float(LibM.pow(Double(adam.beta2), Double(step)))
    let stepSize = lr / bc1, sqrtBC2 = bc2.squareRoot()
    for i in p.indices {
      var d = g[i]
      if wd != 0 { if adam.decoupledWeightDecay { p[i] *= 1 - lr * wd } else { d += wd * p[i] } }
      m[i] = adam.beta1 * m[i] + (1 - adam.beta1) * d
      v[i] = adam.beta2 * v[i] + (1 - adam.beta2) * d * d
      p[i] -= stepSize * m[i] / (v[i].squareRoot() / sqrtBC2 + adam.epsilon)
    }
  }

  func testMatchesTheScalarFormulaBitForBit() {
    var rng = RandomStream(seed: 7).split("adam-kernel")
    let settings = [Adam(), Adam(weightDecay: 5e-4), Adam.adamW(weightDecay: 0.05)]
    for adam in settings {
      for n in [1, 15, 16, 17, 100, 70_001, 262_147] {
        let start = Tensor<Float>.normal([n], rng: &rng)
        let variable = Variable(start, requiresGrad: true)
        let parameter = TrainableParameter(name: "w", variable: variable, decays: true)
        var optimizer = Optimizer(.adam(adam))
        var (p, m, v) = (start.scalars, [Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
        for step in 1...3 {
          let g = Tensor<Float>.normal([n], rng: &rng)
          variable.grad = g
          optimizer.step([parameter], learningRate: 0.01)
          reference(adam, p: &p, g: g.scalars, m: &m, v: &v, lr: 0.01, step: step, decays: true)
          XCTAssertEqual(
            variable.value.scalars.map(\.bitPattern), p.map(\.bitPattern), "n = \(n), step \(step), \(adam)")
          XCTAssertEqual(optimizer.state.buffers["expAvgSq/w"]?.scalars.map(\.bitPattern), v.map(\.bitPattern))
        }
      }
    }
  }

  func testGlobalNormEqualsTheSequentialDoubleSum() {
    var rng = RandomStream(seed: 3).split("norm")
    let params = [5, 33, 100_003].map { n in
      TrainableParameter(
        name: "p\(n)", variable: Variable(Tensor<Float>.normal([n], rng: &rng), requiresGrad: true), decays: true)
    }
    var sequential = 0.0
    for p in params {
      p.variable.grad = Tensor<Float>.normal(p.variable.shape, rng: &rng) * 3
      for x in p.variable.grad?.scalars ?? [] { sequential += Double(x) * Double(x) }
    }
    // Every square is exact in Double, so the two orders differ only by the additions' rounding.
    XCTAssertEqual(
      GradientClipping.globalNorm(params), sequential.squareRoot(), accuracy: 1e-12 * sequential.squareRoot())
  }

  func testSGDMatchesTheScalarFormulaBitForBit() {
    var rng = RandomStream(seed: 9).split("sgd-kernel")
    let settings = [SGD(momentum: 0), SGD(momentum: 0.9, weightDecay: 5e-4), SGD(momentum: 0.9, nesterov: true)]
    for sgd in settings {
      for n in [3, 17, 70_001] {
        let start = Tensor<Float>.normal([n], rng: &rng)
        let variable = Variable(start, requiresGrad: true)
        var optimizer = Optimizer(.sgd(sgd))
        var (p, buf) = (start.scalars, [Float](repeating: 0, count: n))
        for step in 1...3 {
          let g = Tensor<Float>.normal([n], rng: &rng)
          variable.grad = g
          optimizer.step([TrainableParameter(name: "w", variable: variable, decays: true)], learningRate: 0.05)
          let (lr, mu, wd) = (Float(0.05), sgd.momentum, sgd.weightDecay)
          for i in 0..<n {
            let d = g.scalars[i] + wd * p[i]
            if mu == 0 { p[i] -= lr * d; continue }
            buf[i] = step == 1 ? d : mu * buf[i] + (1 - sgd.dampening) * d
            p[i] -= lr * (sgd.nesterov ? d + mu * buf[i] : buf[i])
          }
          XCTAssertEqual(
            variable.value.scalars.map(\.bitPattern), p.map(\.bitPattern), "n = \(n), step \(step), \(sgd)")
        }
      }
    }
  }
}
