import XCTest

@testable import Training

/// A small conv net built directly from Autograd ops: conv 3×3 (1→4) → BN → ReLU → global
/// average pool → dense (4→3), with multiplicative feature noise drawn from the model's own
/// random stream while training (so checkpoints must carry that stream).
final class TinyConvNet: TrainableModel {
  let convW: Variable, convB: Variable, gamma: Variable, beta: Variable, denseW: Variable, denseB: Variable
  let bn = BatchNormState(channels: 4)
  var noise: RandomStream
  let noiseScale: Float

  init(seed: UInt64, noiseScale: Float = 0.05) {
    var rng = RandomStream(seed: seed).split("init")
    convW = Variable(Tensor.kaimingUniform([4, 1, 3, 3], rng: &rng), requiresGrad: true)
    convB = Variable(Tensor(zeros: [4]), requiresGrad: true)
    gamma = Variable(Tensor(repeating: 1, shape: [4]), requiresGrad: true)
    beta = Variable(Tensor(zeros: [4]), requiresGrad: true)
    denseW = Variable(Tensor.xavierUniform([3, 4], rng: &rng), requiresGrad: true)
    denseB = Variable(Tensor(zeros: [3]), requiresGrad: true)
    noise = RandomStream(seed: seed).split("noise")
    self.noiseScale = noiseScale
  }

  var parameters: [(name: String, variable: Variable)] {
    [
      ("conv.weight", convW), ("conv.bias", convB), ("bn.gamma", gamma), ("bn.beta", beta),
      ("fc.weight", denseW), ("fc.bias", denseB),
    ]
  }
  var batchNormStates: [(name: String, state: BatchNormState)] { [("bn", bn)] }
  var randomStreams: [String: RandomStream] {
    get { ["noise": noise] }
    set { if let s = newValue["noise"] { noise = s } }
  }

  func forward(_ input: Variable, training: Bool) -> Variable {
    var h = input.conv2d(weight: convW, bias: convB, Conv2DParameters(padding: 1))
    h = h.batchNorm(gamma: gamma, beta: beta, state: bn, training: training).relu().globalAvgPool().flattened()
    if training && noiseScale > 0 {
      h = h * Variable(Tensor(shape: h.shape, generating: { _ in 1 + self.noiseScale * self.noise.nextNormal() }))
    }
    return h.dense(weight: denseW, bias: denseB)
  }

  /// Bit patterns of every parameter and BN statistic, for exact comparisons.
  var bits: [String: [UInt32]] {
    var out: [String: [UInt32]] = [:]
    for (n, v) in parameters { out[n] = v.value.scalars.map(\.bitPattern) }
    out["bn.mean"] = bn.runningMean.scalars.map(\.bitPattern)
    out["bn.var"] = bn.runningVar.scalars.map(\.bitPattern)
    return out
  }
}

/// A batch of 1×6×6 images with class labels.
struct ImageBatch: TrainingBatch {
  let input: Variable
  let labels: [Int]
  var sampleCount: Int { labels.count }
}

/// Synthetic 3-class images: class c is bright in a c-dependent region, plus noise. The epoch's
/// shuffle and per-sample augmentation (additive noise) come only from the given stream.
struct SyntheticImages: BatchSource {
  let images: [[Float]]
  let labels: [Int]
  let batchSize: Int

  init(count: Int, seed: UInt64, batchSize: Int = 8) {
    var rng = RandomStream(seed: seed).split("images")
    var images: [[Float]] = [], labels: [Int] = []
    for i in 0..<count {
      let c = i % 3
      images.append(
        (0..<36).map { p in
          let (y, x) = (p / 6, p % 6)
          let on = c == 0 ? x < 3 : c == 1 ? y < 3 : (x + y) % 2 == 0
          return (on ? 1 : 0) + 0.3 * rng.nextNormal()
        })
      labels.append(c)
    }
    self.images = images
    self.labels = labels
    self.batchSize = batchSize
  }

  func batchCount(epoch: Int) -> Int { images.count / batchSize }

  func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> ImageBatch {
    var shuffle = stream.split("shuffle")
    let order = shuffle.permutation(images.count)
    let picked = order[(index * batchSize)..<((index + 1) * batchSize)]
    var scalars: [Float] = []
    for i in picked {
      var aug = stream.split("augment").split(index: i)
      scalars += images[i].map { $0 + 0.05 * aug.nextNormal() }
    }
    return ImageBatch(
      input: Variable(Tensor(shape: [batchSize, 1, 6, 6], scalars: scalars)), labels: picked.map { labels[$0] })
  }
}

/// A fresh, empty temporary directory removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase, _ name: String = #function) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent(
      "wb-training-\(name.filter(\.isLetter))-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    )
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}
