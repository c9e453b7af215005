// Full training-loop benchmark: tiny YOLO at 64×64 on generated `shapes`, DataLoader with
// augmentation, YOLO loss, SGD — images/s end to end and where the time goes; then the model
// step (forward + loss + backward + SGD) against PyTorch's on the same graph, in alternating
// rounds of one worker process per side (BenchProtocol's Comparison, as WorkbenchBench).
// Usage: TrainingBench [width [images]] [BenchOptions flags, e.g. --strict --rounds 3]
//
// GraphExecutor.forward's `around` hook times each step (an op, or a fused BatchNorm +
// activation) so forward time is charged per kind; a pass-through op recorded after every step's
// output timestamps the backward pass as it reaches that step, charging backward time per kind.
import BenchModels
import BenchProtocol
import Datasets
import Foundation
import Geometry
import Graph
import GraphTraining
import Training

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

final class TimedGraphModel: TrainableModel {
  let executor: GraphExecutor
  var forwardSeconds: [String: Double] = [:]
  var backwardSeconds: [String: Double] = [:]
  var backwardMark: (kind: String, time: Double)?

  init(_ executor: GraphExecutor) { self.executor = executor }
  var parameters: [(name: String, variable: Variable)] { executor.parameters }
  var batchNormStates: [(name: String, state: BatchNormState)] { executor.batchNormStates }

  /// Charges the time since the previous backward mark to the op that set it.
  func markBackward(_ kind: String) {
    let t = now()
    if let m = backwardMark { backwardSeconds[m.kind, default: 0] += t - m.time }
    backwardMark = (kind, t)
  }

  func forward(_ input: Variable, training: Bool) -> [String: Variable] {
    executor.forward(inputs: [executor.graph.inputs[0].name: input], training: training) { kind, step in
      let t0 = now()
      let ys = step()
      self.forwardSeconds[kind, default: 0] += now() - t0
      return ys.map { y in
        Variable.record("timer", y.value, parents: [y]) { [unowned self] g in
          self.markBackward(kind)
          return [g]
        }
      }
    }
  }
}

struct LoaderBatch: TrainingBatch {
  let batch: Datasets.Batch
  var input: Variable { Variable(batch.images) }
  var sampleCount: Int { batch.count }
  var targets: [[Box]] { batch.boxes }
}

struct LoaderSource: BatchSource {
  let loader: DataLoader
  func batchCount(epoch: Int) -> Int { loader.batchesPerEpoch }
  func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> LoaderBatch {
    LoaderBatch(batch: try loader.batch(index, epoch: epoch))
  }
}

OursWorker.runIfRequested()
signal(SIGPIPE, SIG_IGN)
setvbuf(stdout, nil, _IOLBF, 0)  // each line as it is measured, also into a pipe or file
let positional = Array(CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("--") })
let options: BenchOptions
do {
  options = try BenchOptions(
    arguments: Array(CommandLine.arguments.dropFirst(1 + positional.count)),
    environment: ProcessInfo.processInfo.environment)
} catch {
  FileHandle.standardError.write(Data("TrainingBench: \(error)\n".utf8))
  exit(2)
}
let width = positional.first.flatMap { Double($0) } ?? 1
let images = positional.dropFirst().first.flatMap { Int($0) } ?? 256
let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
  "wb-trainbench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let path = dir.appendingPathComponent("shapes.h5").path
var shapes = ShapesConfig()
(shapes.trainCount, shapes.valCount, shapes.testCount) = (images, 0, 0)
_ = try ShapesGenerator(shapes).write(to: path)
var loaderConfig = LoaderConfig()
(loaderConfig.batchSize, loaderConfig.prefetch) = (32, 0)
(loaderConfig.augmentation.flipProbability, loaderConfig.augmentation.minScale, loaderConfig.augmentation.maxScale) = (
  0.5, 0.8, 1.2
)
(loaderConfig.augmentation.translate, loaderConfig.augmentation.brightness, loaderConfig.augmentation.saturation) = (
  0.1, 0.2, 0.2
)
let loader = try DataLoader(
  path: path, split: "train", config: loaderConfig, random: RandomStream(seed: 1).split("data"))
let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: width, classes: 3, inputSize: [64, 64]))
let heads = graph.outputs.filter { $0.role == .yolo }
let loss = YOLODetectionLoss(
  heads: heads.map { h in
    YOLOLoss(anchors: h.anchors ?? [], classCount: 3, inputWidth: 64, inputHeight: 64)
  })
let model = TimedGraphModel(try GraphExecutor(graph: graph, random: RandomStream(seed: 1).split("init")))
let config = TrainingConfiguration(
  epochs: 3, random: RandomStream(seed: 1), learningRate: 0.01, optimizer: .sgd(SGD(momentum: 0.9, weightDecay: 5e-4)))
var phases: [String: Double] = [:]
var seconds = 0.0, samples = 0
let recorder = ClosureCallback { event, state in
  // epoch 0 is warm-up
  if case .epochStart(let e) = event, e == 1 { model.forwardSeconds = [:]; model.backwardSeconds = [:] }
  if case .trainBatchEnd = event { model.backwardMark = nil }  // the first node's interval is charged below
  if case .epochEnd(let e) = event, e >= 1 {
    for (k, v) in state.phaseSeconds { phases[k, default: 0] += v }
    seconds += state.epochSeconds
    samples += images
  }
}
let trainer = try Trainer(
  model: model, configuration: config, trainingData: LoaderSource(loader: loader),
  objective: { out, b in loss(heads.compactMap { out[$0.name] }, targets: b.targets) }, callbacks: [recorder])
try trainer.fit()
let params = model.parameters.reduce(0) { $0 + $1.variable.value.count }
print(
  "tiny-yolo width \(width) @64×64, \(params) parameters, batch 32, \(images) images/epoch, 2 timed epochs after 1 warm-up"
)
print(String(format: "end to end: %.1f images/s (%.3f s per epoch)", Double(samples) / seconds, seconds / 2))
let stepSeconds = ["forward", "loss", "backward", "optimizer"].reduce(0.0) { $0 + (phases[$1] ?? 0) }
print(
  String(
    format: "model step only (forward + loss + backward + optimizer): %.1f images/s", Double(samples) / stepSeconds))
let total = phases.values.reduce(0, +)
for k in phases.keys.sorted() {
  print(String(format: "  %-10@ %6.1f%%", k as NSString, 100 * (phases[k] ?? 0) / total))
}
let fwd = model.forwardSeconds
var bwd = model.backwardSeconds
// The first node's backward runs after the last mark; it is the rest of the backward phase.
bwd[graph.nodes.first?.op.rawValue ?? "unattributed", default: 0] += (phases["backward"] ?? 0) - bwd.values.reduce(0, +)
let fwdTotal = fwd.values.reduce(0, +), bwdTotal = bwd.values.reduce(0, +)
print(String(format: "forward by op (%.3f s):", fwdTotal))
for (k, v) in fwd.sorted(by: { $0.value > $1.value }) {
  print(String(format: "  %-12@ %6.1f%%", k as NSString, 100 * v / fwdTotal))
}
print(String(format: "backward by op (%.3f s, attributed between node marks):", bwdTotal))
for (k, v) in bwd.sorted(by: { $0.value > $1.value }) {
  print(String(format: "  %-12@ %6.1f%%", k as NSString, 100 * v / bwdTotal))
}
// Training runs Conv → BatchNorm (→ activation → 2×2 max pool) chains as one step: those count as
// conv here, so the share below is that of the steps without a convolution or matmul.
let isConvMatmul = { (label: String) in label.hasPrefix("Conv") || label.hasPrefix("Dense") }
let convMatmul = [fwd, bwd].flatMap { $0.filter { isConvMatmul($0.key) }.map(\.value) }.reduce(0, +)
print(
  String(
    format: "share of the training step outside conv/matmul steps (fused Conv+BatchNorm… steps count as conv): %.1f%%",
    100 * (1 - convMatmul / total)))

// The model step against PyTorch's, after Workbench's epochs (nothing of them is alive): the same
// graph file on both sides, alternating rounds of one worker process each, with the machine's
// other load measured in every timed window (see BenchProtocol).
let rounds = options.rounds ?? 3
let graphFile = dir.appendingPathComponent("tiny-yolo.json")
try BenchGraphs.write(graph, to: graphFile)
let job = WorkerJob(
  model: graphFile.path, batch: 32, kinds: ["train"], warmup: 2, minSteps: 5, minSeconds: 1, threads: options.threads)
let comparison = Comparison.run(rounds: rounds, sides: [OursWorker.command, TorchWorker.command], job: job)
print(
  "model step (forward + loss of squares + backward + SGD), width \(width) @64×64, batch 32, threads: \(options.threads), "
    + "\(rounds) alternating rounds, one process per side and round:")
for line in comparison.lines("train", policy: options.policy) { print(line) }
let counts = comparison.reports.map { $0.first?.parameters }
if let a = counts[0], let b = counts[1], a != b {
  print("  ARCHITECTURE MISMATCH: \(a) parameters here, \(b) in PyTorch")
}
if comparison.ratio("train", policy: options.policy).isUnreliable, options.strict {
  try? FileManager.default.removeItem(at: dir)
  exit(3)
}
