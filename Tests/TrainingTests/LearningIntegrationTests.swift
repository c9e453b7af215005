#if canImport(Graph) && canImport(Datasets)
  import Datasets
  import Foundation
  import Geometry
  import Graph
  import GraphTraining
  import XCTest
  @testable import Training

  // Proof that it learns, on real Workbench models and generated datasets. These need the
  // `Graph` and `Datasets` targets; the whole file compiles only when TrainingTests depends on
  // them. The adapters below are the few lines that connect the libraries to the loop.

  /// A ``GraphExecutor`` as a ``TrainableModel``: one image input, outputs by name.
  final class GraphModel: TrainableModel {
    let executor: GraphExecutor
    let inputName: String
    init(_ executor: GraphExecutor) {
      self.executor = executor
      inputName = executor.graph.inputs.first?.name ?? "image"
    }
    var parameters: [(name: String, variable: Variable)] { executor.parameters }
    var batchNormStates: [(name: String, state: BatchNormState)] { executor.batchNormStates }
    var randomStreams: [String: RandomStream] {
      get { executor.randomStreams }
      set { executor.randomStreams = newValue }
    }
    func forward(_ input: Variable, training: Bool) -> [String: Variable] {
      executor.forward(inputs: [inputName: input], training: training)
    }
  }

  /// A ``DataLoader`` batch as a ``TrainingBatch``.
  struct LoaderBatch: TrainingBatch {
    let batch: Datasets.Batch
    var input: Variable { Variable(batch.images) }
    var sampleCount: Int { batch.count }
    var targets: [[Box]] {
      batch.boxes
    }
  }

  /// A ``DataLoader`` as a ``BatchSource`` (its order and augmentation derive from its own
  /// stream and the epoch, so they are reproducible across a resume).
  struct LoaderSource: BatchSource {
    let loader: DataLoader
    func batchCount(epoch: Int) -> Int { loader.batchesPerEpoch }
    func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> LoaderBatch {
      LoaderBatch(batch: try loader.batch(index, epoch: epoch))
    }
  }

  /// A small face-descriptor network from Autograd ops: three conv–BN–ReLU stages with pooling, a
  /// 16-d embedding and an identity classifier on top of it. It tests the loop with the face
  /// objective in isolation; the zoo's SqueezeNet descriptor, with the experiment stage's
  /// identity head, is tested in `ExperimentTests/FaceDescriptorLearningTests`.
  final class TinyFaceNet: TrainableModel {
    struct Output { let embedding: Variable, logits: Variable }
    var named: [(name: String, variable: Variable)] = []
    var bns: [(name: String, state: BatchNormState)] = []

    init(identities: Int, seed: UInt64) {
      var rng = RandomStream(seed: seed).split("init")
      func add(_ name: String, _ t: Tensor<Float>) { named.append((name, Variable(t, requiresGrad: true))) }
      for (i, (cin, cout)) in [(3, 16), (16, 32), (32, 32)].enumerated() {
        add("conv\(i).weight", Tensor.kaimingUniform([cout, cin, 3, 3], rng: &rng))
        add("bn\(i).gamma", Tensor(repeating: 1, shape: [cout]))
        add("bn\(i).beta", Tensor(zeros: [cout]))
        bns.append(("bn\(i)", BatchNormState(channels: cout)))
      }
      add("embed.weight", Tensor.xavierUniform([16, 32], rng: &rng))
      add("embed.bias", Tensor(zeros: [16]))
      add("classifier.weight", Tensor.xavierUniform([identities, 16], rng: &rng))
      add("classifier.bias", Tensor(zeros: [identities]))
    }

    var parameters: [(name: String, variable: Variable)] { named }
    var batchNormStates: [(name: String, state: BatchNormState)] { bns }

    func forward(_ input: Variable, training: Bool) -> Output {
      var h = input
      for i in 0..<3 {
        h = h.conv2d(weight: named[3 * i].variable, Conv2DParameters(padding: 1))
          .batchNorm(
            gamma: named[3 * i + 1].variable, beta: named[3 * i + 2].variable, state: bns[i].state, training: training
          )
          .relu()
        h = i < 2 ? h.maxPool2d(Pool2DParameters(kernel: 2)) : h.globalAvgPool().flattened()
      }
      let e = h.dense(weight: named[9].variable, bias: named[10].variable)
      return Output(embedding: e, logits: e.dense(weight: named[11].variable, bias: named[12].variable))
    }
  }

  /// P×K batches of an identity split, read image by image.
  struct FaceBatch: TrainingBatch {
    let input: Variable
    let identities: [Int]
    var sampleCount: Int { identities.count }
  }

  struct FaceSource: BatchSource {
    let split: DatasetSplit
    let identities: [Int]
    let sampler: PKBatchSampler

    func images(_ indices: [Int]) throws -> Tensor<Float> {
      let plane = split.height * split.width * split.channels
      var pixels = [UInt8](repeating: 0, count: plane), out: [Float] = []
      for i in indices {
        try pixels.withUnsafeMutableBufferPointer { try split.readImage(at: i, into: $0) }
        out += pixels.map { Float($0) / 255 - 0.5 }
      }
      return Tensor(shape: [indices.count, split.channels, split.height, split.width], scalars: out)
    }

    func batchCount(epoch: Int) -> Int { sampler.batchCount }
    func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> FaceBatch {
      let members = sampler.batches(epoch: epoch, stream: stream)[index]
      return FaceBatch(input: Variable(try images(members)), identities: members.map { identities[$0] })
    }
  }

  final class LearningIntegrationTests: XCTestCase {
    /// Tiny YOLO with augmentation from the DataLoader: 3 epochs straight vs. stopped after
    /// epoch 1 and resumed by fresh objects from the checkpoint: bit-identical weights and BN
    /// statistics (the Graph + Datasets counterpart of `TrainerTests`' resume test).
    func testTinyYOLOResumeIsBitIdentical() throws {
      let dir = try temporaryDirectory(self)
      let path = dir.appendingPathComponent("shapes.h5").path
      var shapes = ShapesConfig()
      (shapes.trainCount, shapes.valCount, shapes.testCount, shapes.seed) = (16, 0, 0, 2)
      _ = try ShapesGenerator(shapes).write(to: path)
      var loaderConfig = LoaderConfig()
      (loaderConfig.batchSize, loaderConfig.prefetch) = (8, 0)
      (loaderConfig.augmentation.flipProbability, loaderConfig.augmentation.brightness) = (0.5, 0.2)
      let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, classes: 3, inputSize: [64, 64]))
      let heads = graph.outputs.filter { $0.role == .yolo }
      let loss = YOLODetectionLoss(
        heads: heads.map { head in
          YOLOLoss(
            anchors: head.anchors ?? [],
            classCount: 3, inputWidth: 64, inputHeight: 64)
        })
      let config = TrainingConfiguration(
        epochs: 3, random: RandomStream(seed: 5), learningRate: 0.01,
        optimizer: .sgd(SGD(momentum: 0.9, weightDecay: 5e-4)))
      func run(_ directory: URL, initSeed: UInt64, stopAfter: Int?) throws -> [[UInt32]] {
        let model = GraphModel(try GraphExecutor(graph: graph, random: RandomStream(seed: initSeed).split("init")))
        let loader = try DataLoader(
          path: path, split: "train", config: loaderConfig, random: RandomStream(seed: 5).split("data"))
        let stop = ClosureCallback { event, state in
          if case .epochEnd(let e) = event, e == stopAfter { state.stopRequested = true }
        }
        try Trainer(
          model: model, configuration: config, trainingData: LoaderSource(loader: loader),
          objective: { out, batch in loss(heads.compactMap { out[$0.name] }, targets: batch.targets) },
          directory: directory, callbacks: [stop]
        ).fit()
        return model.parameters.map { $0.variable.value.scalars.map(\.bitPattern) }
          + model.batchNormStates.map { $0.state.runningVar.scalars.map(\.bitPattern) }
      }
      let straight = try run(dir.appendingPathComponent("a"), initSeed: 1, stopAfter: nil)
      let interrupted = dir.appendingPathComponent("b")
      _ = try run(interrupted, initSeed: 1, stopAfter: 0)
      XCTAssertEqual(try Checkpoint.read(interrupted.appendingPathComponent(Checkpoint.lastFileName)).epoch, 1)
      XCTAssertEqual(try run(interrupted, initSeed: 77, stopAfter: nil), straight)
    }

    /// Fraction of (anchor, positive, negative) triplets with d(a, p) < d(a, n), over all images.
    static func tripletOrdering(_ e: Tensor<Float>, _ ids: [Int]) -> Double {
      let n = e.shape[0], d = e.shape[1]
      func dist(_ i: Int, _ j: Int) -> Float {
        (0..<d).reduce(0) {
          $0 + (e.scalars[i * d + $1] - e.scalars[j * d + $1]) * (e.scalars[i * d + $1] - e.scalars[j * d + $1])
        }
      }
      var good = 0, total = 0
      for a in 0..<n {
        for p in 0..<n where p != a && ids[p] == ids[a] {
          for q in 0..<n where ids[q] != ids[a] {
            total += 1
            if dist(a, p) < dist(a, q) { good += 1 }
          }
        }
      }
      return Double(good) / Double(max(total, 1))
    }

    /// The face objective (CE + lifted structured) on 8 generated identities × 8 images (32×32
    /// RGB, nuisance 0.5), P×K = 4×4 batches: after 30 short epochs, same-identity embeddings are
    /// closer than other identities' for ≥ 90% of (anchor, positive, negative) triplets (chance
    /// is ~50%; this run reaches ~96%).
    func testFaceEmbeddingsSeparateIdentities() throws {
      let dir = try temporaryDirectory(self)
      let path = dir.appendingPathComponent("faces.h5").path
      var faces = FacesConfig()
      (faces.width, faces.height, faces.trainIdentities, faces.imagesPerTrainIdentity) = (32, 32, 8, 8)
      (faces.testIdentities, faces.imagesPerTestIdentity, faces.folds, faces.pairsPerFold, faces.seed) = (2, 2, 1, 1, 3)
      (faces.channels, faces.nuisance) = (3, 0.5)
      _ = try FacesGenerator(faces).write(to: path)
      let split = try DatasetFile(path: path).split("train")
      let ids = try split.identities()
      let source = FaceSource(
        split: split, identities: ids,
        sampler: try PKBatchSampler(labels: ids, identitiesPerBatch: 4, imagesPerIdentity: 4))
      let model = TinyFaceNet(identities: 8, seed: 2)
      let all = try source.images(Array(0..<split.count))
      func ordering() -> Double {
        withoutGradients { Self.tripletOrdering(model.forward(Variable(all), training: false).embedding.value, ids) }
      }
      let before = ordering()
      let loss = FaceDescriptorLoss(crossEntropyWeight: 1, liftedWeight: 1, margin: 1, normalizeEmbeddings: false)
      let config = TrainingConfiguration(
        epochs: 30, random: RandomStream(seed: 4), learningRate: 0.003, optimizer: .adam(Adam()))
      let trainer = try Trainer(
        model: model, configuration: config, trainingData: source,
        objective: { out, b in loss(logits: out.logits, embeddings: out.embedding, labels: b.identities) })
      try trainer.fit()
      let after = ordering()
      print(
        "faces: triplet ordering \(before) → \(after); loss \(trainer.state.history.map { String(format: "%.3f", $0.train["loss"] ?? 0) })"
      )
      XCTAssertGreaterThan(after, 0.9)
      XCTAssertGreaterThan(after, before + 0.25)
    }

    /// Tiny YOLO (width ×0.25, 64×64, 3 classes) on 64 generated `shapes` images: the YOLO loss
    /// (GIoU, BCE objectness, CE classes) falls well below its first-epoch value in a short run.
    func testTinyYOLOLearnsOnShapes() throws {
      let dir = try temporaryDirectory(self)
      let path = dir.appendingPathComponent("shapes.h5").path
      var shapes = ShapesConfig()
      (shapes.trainCount, shapes.valCount, shapes.testCount, shapes.seed) = (64, 0, 0, 1)
      _ = try ShapesGenerator(shapes).write(to: path)
      var loaderConfig = LoaderConfig()
      loaderConfig.batchSize = 16
      loaderConfig.prefetch = 0
      let loader = try DataLoader(
        path: path, split: "train", config: loaderConfig, random: RandomStream(seed: 1).split("data"))
      let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, classes: 3, inputSize: [64, 64]))
      let model = GraphModel(try GraphExecutor(graph: graph, random: RandomStream(seed: 1).split("init")))
      let heads = graph.outputs.filter { $0.role == .yolo }
      let loss = YOLODetectionLoss(
        heads: heads.map { head in
          YOLOLoss(
            anchors: head.anchors ?? [],
            classCount: head.numClasses ?? 3, inputWidth: 64, inputHeight: 64)
        })
      let config = TrainingConfiguration(
        epochs: 12, random: RandomStream(seed: 1), learningRate: 0.003,
        schedule: .cosine(warmupEpochs: 1, totalEpochs: 12, warmupStartFactor: 0.1, minFactor: 0.1),
        optimizer: .adam(.adamW(weightDecay: 5e-4)), gradientClipNorm: 10)
      let trainer = try Trainer(
        model: model, configuration: config, trainingData: LoaderSource(loader: loader),
        objective: { out, batch in loss(heads.compactMap { out[$0.name] }, targets: batch.targets) })
      try trainer.fit()
      let losses = trainer.state.history.map { $0.train["loss"] ?? .nan }
      print("tiny YOLO on shapes, loss per epoch:", losses.map { String(format: "%.3f", $0) })
      XCTAssertLessThan(losses.last ?? .nan, 0.5 * losses[0], "per-epoch losses \(losses)")
      XCTAssertLessThan(trainer.state.history.last?.train["box"] ?? .nan, trainer.state.history[0].train["box"] ?? 0)
    }
  }
#endif
