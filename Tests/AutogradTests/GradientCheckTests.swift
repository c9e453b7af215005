import TestSupport
import XCTest

@testable import Autograd
@testable import Tensors

/// Every differentiable op against central finite differences.
///
/// For an op f and a fixed random cotangent R, the scalar L(x) = Σ f(x) ⊙ R is differentiated
/// analytically (backward with seed R) and numerically ((L(x+εe) − L(x−εe)) / 2ε, accumulated in
/// Double) for every input element. Inputs are drawn away from kinks (ReLU at 0, clamp bounds,
/// ties in max) so the finite difference is meaningful.
final class GradientCheckTests: XCTestCase {
  enum Domain { case any, awayFromZero, positive, distinct }

  struct Entry {
    let name: String
    let shapes: [[Int]]
    var domains: [Domain]? = nil
    let f: ([Variable]) -> Variable
  }

  static let conv = { (p: Conv2DParameters, bias: Bool) in
    { (v: [Variable]) in v[0].conv2d(weight: v[1], bias: bias ? v[2] : nil, p) }
  }

  static let winograd = { (v: [Variable]) in
    Conv2D.$algorithm.withValue(.winograd) { v[0].conv2d(weight: v[1], bias: v[2], Conv2DParameters(padding: 1)) }
  }

  static let table: [Entry] = [
    Entry(name: "add broadcast", shapes: [[2, 3, 4], [3, 1]]) { $0[0] + $0[1] },
    Entry(name: "sub broadcast", shapes: [[4], [2, 3, 4]]) { $0[0] - $0[1] },
    Entry(name: "mul broadcast", shapes: [[2, 1, 4], [3, 1]]) { $0[0] * $0[1] },
    Entry(name: "div", shapes: [[2, 3], [2, 3]], domains: [.any, .awayFromZero]) { $0[0] / $0[1] },
    Entry(name: "div broadcast", shapes: [[2, 3], [1]], domains: [.any, .awayFromZero]) { $0[0] / $0[1] },
    Entry(name: "neg", shapes: [[5]]) { -$0[0] },
    Entry(name: "scalar add/mul", shapes: [[5]]) { ($0[0] + 2) * 3 - 1 },
    Entry(name: "relu", shapes: [[3, 4]], domains: [.awayFromZero]) { $0[0].relu() },
    Entry(name: "relu6", shapes: [[3, 4]], domains: [.awayFromZero]) { ($0[0] * 4).relu6() },
    Entry(name: "leakyRelu", shapes: [[3, 4]], domains: [.awayFromZero]) { $0[0].leakyRelu(0.1) },
    Entry(name: "sigmoid", shapes: [[3, 4]]) { $0[0].sigmoid() },
    Entry(name: "tanh", shapes: [[3, 4]]) { $0[0].tanh() },
    Entry(name: "exp", shapes: [[3, 4]]) { $0[0].exp() },
    Entry(name: "log", shapes: [[3, 4]], domains: [.positive]) { $0[0].log() },
    Entry(name: "sqrt", shapes: [[3, 4]], domains: [.positive]) { $0[0].sqrt() },
    Entry(name: "abs", shapes: [[3, 4]], domains: [.awayFromZero]) { $0[0].abs() },
    Entry(name: "square", shapes: [[3, 4]]) { $0[0].squared() },
    Entry(name: "clamp", shapes: [[3, 4]], domains: [.awayFromZero]) { ($0[0] + 0.1).clamped(-0.55, 0.55) },
    Entry(name: "pow", shapes: [[3, 4]], domains: [.positive]) { $0[0].pow(1.7) },
    Entry(name: "sum axes", shapes: [[2, 3, 4]]) { $0[0].sum(axes: [0, 2]) },
    Entry(name: "sum keepDims", shapes: [[2, 3, 4]]) { $0[0].sum(axes: [1], keepDims: true) },
    Entry(name: "mean all", shapes: [[2, 3, 4]]) { $0[0].mean() },
    Entry(name: "max axis", shapes: [[3, 5]], domains: [.distinct]) { $0[0].max(axis: 1) },
    Entry(name: "softmax", shapes: [[3, 5]]) { $0[0].softmax(axis: 1) },
    Entry(name: "softmax axis 0", shapes: [[3, 2, 2]]) { $0[0].softmax(axis: 0) },
    Entry(name: "logSoftmax", shapes: [[4, 6]]) { $0[0].logSoftmax(axis: -1) },
    Entry(name: "matmul", shapes: [[3, 4], [4, 5]]) { $0[0].matmul($0[1]) },
    Entry(name: "dense", shapes: [[3, 4], [5, 4], [5]]) { $0[0].dense(weight: $0[1], bias: $0[2]) },
    Entry(
      name: "conv 3×3 pad 1 bias", shapes: [[2, 3, 5, 5], [4, 3, 3, 3], [4]],
      f: conv(Conv2DParameters(padding: 1), true)),
    Entry(
      name: "conv stride 2 asym pad odd", shapes: [[1, 2, 7, 6], [3, 2, 3, 2]],
      f: conv(Conv2DParameters(strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 1, padRight: 2), false)),
    Entry(
      name: "conv groups 2", shapes: [[2, 4, 5, 4], [6, 2, 3, 3], [6]],
      f: conv(Conv2DParameters(padding: 1, groups: 2), true)),
    Entry(
      name: "conv depthwise stride 2", shapes: [[2, 3, 6, 6], [3, 1, 3, 3]],
      f: conv(Conv2DParameters(stride: 2, padding: 1, groups: 3), false)),
    Entry(
      name: "conv dilation 2", shapes: [[1, 2, 7, 7], [2, 2, 3, 3]],
      f: conv(Conv2DParameters(padding: 2, dilation: 2), false)),
    Entry(name: "conv 1×1", shapes: [[2, 3, 3, 4], [5, 3, 1, 1], [5]], f: conv(Conv2DParameters(), true)),
    // the direct kernels (rows of 17, 8 output channels): forward in row tiles (the wide row
    // block with AVX-512), input gradient through the transposed direct convolution, weight
    // gradient on the flat padded grid
    Entry(name: "conv 3×3 direct kernels", shapes: [[1, 8, 3, 17], [8, 8, 3, 3], [8]]) { v in
      Conv2D.$algorithm.withValue(.im2col) { v[0].conv2d(weight: v[1], bias: v[2], Conv2DParameters(padding: 1)) }
    },
    // the direct forward as runs (rows of 12, the narrow kernels; both gradients through im2col)
    Entry(name: "conv 3×3 direct runs", shapes: [[1, 8, 3, 12], [8, 8, 3, 3], [8]]) { v in
      Conv2D.$wideDirectKernels.withValue(false) {
        Conv2D.$algorithm.withValue(.im2col) { v[0].conv2d(weight: v[1], bias: v[2], Conv2DParameters(padding: 1)) }
      }
    },
    // the image-lane kernels (16 images, a 3×2 map; 7 output channels: a partial panel)
    Entry(name: "conv 3×3 image lanes", shapes: [[16, 2, 3, 2], [7, 2, 3, 3], [7]]) { v in
      Conv2D.$algorithm.withValue(.im2col) { v[0].conv2d(weight: v[1], bias: v[2], Conv2DParameters(padding: 1)) }
    },
    // Winograd F(2×2, 3×3) forward and input gradient: odd sizes (partial tiles), and a row of
    // more than 8 tiles (the SIMD transforms) with an odd width
    Entry(name: "conv 3×3 winograd", shapes: [[2, 3, 5, 5], [4, 3, 3, 3], [4]], f: winograd),
    Entry(name: "conv 3×3 winograd wide", shapes: [[1, 2, 3, 19], [3, 2, 3, 3], [3]], f: winograd),
    Entry(name: "maxPool 2×2", shapes: [[2, 2, 4, 6]], domains: [.distinct]) {
      $0[0].maxPool2d(Pool2DParameters(kernel: 2))
    },
    Entry(name: "maxPool 3×3/2 pad 1 ceil", shapes: [[1, 2, 7, 6]], domains: [.distinct]) {
      $0[0].maxPool2d(Pool2DParameters(kernel: 3, stride: 2, padding: 1, ceilMode: true))
    },
    Entry(name: "avgPool pad 1", shapes: [[1, 2, 5, 5]]) {
      $0[0].avgPool2d(Pool2DParameters(kernel: 3, stride: 2, padding: 1))
    },
    Entry(name: "avgPool ceil exclude pad", shapes: [[2, 1, 5, 7]]) {
      $0[0].avgPool2d(Pool2DParameters(kernel: 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false))
    },
    Entry(name: "globalAvgPool", shapes: [[2, 3, 3, 5]]) { $0[0].globalAvgPool() },
    Entry(name: "upsample ×2", shapes: [[1, 2, 3, 2]]) { $0[0].upsampleNearest(factor: 2) },
    Entry(name: "reshape/flatten", shapes: [[2, 3, 2]]) { $0[0].flattened().reshaped([3, 4]) },
    Entry(name: "transpose", shapes: [[2, 3, 4]]) { $0[0].transposed([1, 2, 0]) },
    Entry(name: "concat axis 1", shapes: [[2, 1, 3], [2, 2, 3]]) { Variable.concat([$0[0], $0[1]], axis: 1) },
    Entry(name: "split", shapes: [[2, 5]]) { v in
      let p = v[0].split(sizes: [2, 3], axis: 1)
      return Variable.concat([p[1], p[0] * 2], axis: 1)
    },
    Entry(name: "slice", shapes: [[3, 4]]) { $0[0].slice([1..<3, 0..<2]) },
    Entry(name: "pad", shapes: [[2, 3]]) { $0[0].padded([(1, 0), (2, 1)], value: 0.5) },
    Entry(name: "batchNorm train", shapes: [[4, 3, 2, 2], [3], [3]]) { v in
      v[0].batchNorm(gamma: v[1], beta: v[2], state: BatchNormState(channels: 3), training: true)
    },
    Entry(name: "batchNorm train NC", shapes: [[5, 4], [4], [4]]) { v in
      v[0].batchNorm(gamma: v[1], beta: v[2], state: BatchNormState(channels: 4), training: true)
    },
    // Fused activations: β shifted by ±8 puts every output on one side of the kink (|γ·x̂| < 6
    // here), where finite differences are valid; the mixed case is checked exactly against
    // the unfused ops in AutogradTests.testFusedActivationEqualsTheOpsInSequence.
    Entry(name: "batchNorm + relu train (positive side)", shapes: [[4, 3, 2, 2], [3], [3]]) { v in
      v[0].batchNorm(gamma: v[1], beta: v[2] + 8, state: BatchNormState(channels: 3), training: true, activation: .relu)
    },
    Entry(name: "batchNorm + leaky relu train (negative side)", shapes: [[4, 3, 2, 2], [3], [3]]) { v in
      v[0].batchNorm(
        gamma: v[1], beta: v[2] - 8, state: BatchNormState(channels: 3), training: true, activation: .leakyRelu(0.1))
    },
    // BatchNorm + activation + 2×2 max pool as one training op (distinct inputs: no ties)
    Entry(
      name: "batchNorm + leaky relu + maxPool 2×2 train", shapes: [[2, 2, 4, 6], [2], [2]],
      domains: [.distinct, .any, .any]
    ) {
      v in
      v[0].batchNormMaxPool2x2(
        gamma: v[1], beta: v[2] - 8, state: BatchNormState(channels: 2), activation: .leakyRelu(0.1))
    },
    Entry(name: "batchNorm + leaky relu eval", shapes: [[2, 3, 2, 2], [3], [3]]) { v in
      let s = BatchNormState(channels: 3)
      s.runningMean = Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])
      s.runningVar = Tensor(shape: [3], scalars: [0.5, 2, 1.5])
      return v[0].batchNorm(gamma: v[1], beta: v[2] - 8, state: s, training: false, activation: .leakyRelu(0.2))
    },
    Entry(name: "batchNorm eval", shapes: [[2, 3, 2, 2], [3], [3]]) { v in
      let s = BatchNormState(channels: 3)
      s.runningMean = Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])
      s.runningVar = Tensor(shape: [3], scalars: [0.5, 2, 1.5])
      return v[0].batchNorm(gamma: v[1], beta: v[2], state: s, training: false)
    },
  ]

  static func sample(_ shape: [Int], _ domain: Domain, _ rng: inout RandomStream) -> Tensor<Float> {
    let n = shape.product
    switch domain {
    case .any: return Tensor.uniform(shape, low: -1.5, high: 1.5, rng: &rng)
    case .positive: return Tensor.uniform(shape, low: 0.3, high: 2, rng: &rng)
    case .awayFromZero:
      return Tensor(
        shape: shape,
        scalars: (0..<n).map { _ in
          (rng.nextBernoulli(0.5) ? 1 : -1) * rng.nextFloat(in: 0.2..<1.5)
        })
    case .distinct:  // well-separated values: a random permutation of a grid with gaps of 0.1
      return Tensor(shape: shape, scalars: rng.permutation(n).map { Float($0) * 0.1 - Float(n) * 0.05 })
    }
  }

  func testEveryOpAgainstFiniteDifferences() {
    var rng = RandomStream(seed: 2024).split("gradcheck")
    var covered = Set<String>()
    for entry in Self.table {
      let inputs = entry.shapes.enumerated().map { i, s in
        Self.sample(s, entry.domains?[safe: i] ?? .any, &rng)
      }
      let vars = inputs.map { Variable($0, requiresGrad: true) }
      let out = entry.f(vars)
      covered.formUnion(out.topologicalOrder().map(\.op))
      let cotangent = Tensor<Float>.uniform(out.shape, low: -1, high: 1, rng: &rng)
      out.backward(seed: cotangent)
      let loss = { (xs: [Tensor<Float>]) -> Double in
        let y = entry.f(xs.map { Variable($0) }).value
        return zip(y.scalars, cotangent.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
      }
      var analytic: [[Double]] = []
      for (k, x) in inputs.enumerated() {
        guard let g = vars[k].grad else {
          XCTFail("\(entry.name): no gradient for input \(k)"); analytic.append([]); continue
        }
        XCTAssertEqual(g.shape, x.shape, "\(entry.name): gradient shape of input \(k)")
        analytic.append(g.scalars.map(Double.init))
      }
      let numeric = GradientChecker.numeric(inputs, step: 1e-2, loss)
      GradientChecker.assertClose(entry.name, analytic: analytic, numeric: numeric, absolute: 1e-3, relative: 5e-3)
    }
    let missing = Set(DifferentiableOps.all).subtracting(covered)
    XCTAssertTrue(missing.isEmpty, "ops without a gradient check: \(missing.sorted())")
    let unknown = covered.subtracting(DifferentiableOps.all + ["leaf"])
    XCTAssertTrue(unknown.isEmpty, "ops recorded but not registered in DifferentiableOps.all: \(unknown.sorted())")
  }
}

extension Array {
  subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
