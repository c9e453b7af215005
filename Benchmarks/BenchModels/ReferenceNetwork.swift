import Autograd

/// The benchmark network of the foundation issue: four blocks of
/// [conv 3×3 pad 1 → BatchNorm → LeakyReLU 0.1 → max-pool 2×2] with 16, 32, 64, 128 channels,
/// then a 1×1 conv to 24 channels; loss = mean of squared outputs; SGD lr 0.01 momentum 0.9.
/// `Benchmarks/torch_worker.py` builds the identical network in PyTorch. BatchNorm and
/// LeakyReLU run as Workbench's fused op, as the graph executor runs them; in inference the
/// convolution applies them and the max pool to its own output (`conv2dBatchNorm`), as the
/// executor does too.
public final class ReferenceNetwork {
  struct Block { let w: Variable; let b: Variable; let gamma: Variable; let beta: Variable; let bn: BatchNormState }
  var blocks: [Block] = []
  let headW: Variable, headB: Variable
  var velocity: [ObjectIdentifier: Tensor<Float>] = [:]

  public init(seed: UInt64) {
    var rng = RandomStream(seed: seed).split("init")
    var c = 3
    for o in [16, 32, 64, 128] {
      blocks.append(
        Block(
          w: Variable(Tensor.kaimingUniform([o, c, 3, 3], rng: &rng), requiresGrad: true),
          b: Variable(Tensor(zeros: [o]), requiresGrad: true),
          gamma: Variable(Tensor(repeating: 1, shape: [o]), requiresGrad: true),
          beta: Variable(Tensor(zeros: [o]), requiresGrad: true),
          bn: BatchNormState(channels: o)))
      c = o
    }
    headW = Variable(Tensor.kaimingUniform([24, 128, 1, 1], rng: &rng), requiresGrad: true)
    headB = Variable(Tensor(zeros: [24]), requiresGrad: true)
  }

  public var parameters: [Variable] { blocks.flatMap { [$0.w, $0.b, $0.gamma, $0.beta] } + [headW, headB] }

  public func forward(_ x: Variable, training: Bool) -> Variable {
    var h = x
    for b in blocks {
      h = h.conv2dBatchNorm(
        weight: b.w, bias: b.b, Conv2DParameters(padding: 1), gamma: b.gamma, beta: b.beta, state: b.bn,
        training: training, activation: .leakyRelu(0.1), maxPool: Pool2DParameters(kernel: 2))
    }
    return h.conv2d(weight: headW, bias: headB)
  }

  /// One SGD step with momentum 0.9 (PyTorch's update: v = μv + g; p -= lr·v).
  @discardableResult
  public func trainStep(_ x: Tensor<Float>, lr: Float = 0.01, momentum: Float = 0.9) -> Float {
    for p in parameters { p.zeroGrad() }
    // the step's graph is freed before the update and the buffer taken out of the dictionary,
    // so that both are updated in place instead of copied (as `Trainer` and `SGD` do)
    let lossValue: Float
    do {
      let loss = forward(Variable(x), training: true).squared().mean()
      loss.backward()
      lossValue = loss.value.scalar
    }
    for p in parameters {
      guard let g = p.grad else { continue }
      var v = velocity.removeValue(forKey: ObjectIdentifier(p)) ?? Tensor(zeros: p.shape)
      v.scalars.withUnsafeMutableBufferPointer { pv in
        g.scalars.withUnsafeBufferPointer { pg in
          p.value.scalars.withUnsafeMutableBufferPointer { pp in
            for i in 0..<pv.count {
              pv[i] = momentum * pv[i] + pg[i]
              pp[i] -= lr * pv[i]
            }
          }
        }
      }
      velocity[ObjectIdentifier(p)] = v
    }
    return lossValue
  }
}
