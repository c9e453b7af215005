// Full training-loop benchmark: tiny YOLO at 64×64 on generated `shapes`, DataLoader with
// augmentation, YOLO loss, SGD — images/s end to end and where the time goes.
//
// GraphExecutor.forward's `around` hook times each step (an op, or a fused BatchNorm +
// activation) so forward time is charged per kind; a pass-through op recorded after every step's
// output timestamps the backward pass as it reaches that step, charging backward time per kind.
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

let args = CommandLine.arguments
let width = args.count > 1 ? Double(args[1]) ?? 1 : 1
let images = args.count > 2 ? Int(args[2]) ?? 256 : 256
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
/// Runs `torch_tiny_yolo.py` and returns its images/s, or nil when PyTorch is unavailable.
var torchVersion = "?"
func torchStepRate() -> Double? {
  let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("torch_tiny_yolo.py")
  let run = Process()
  run.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  run.arguments = ["python3", script.path]
  let out = Pipe()
  run.standardOutput = out
  run.standardError = FileHandle.nullDevice
  guard (try? run.run()) != nil else { return nil }
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  run.waitUntilExit()
  // "PyTorch 2.13.0+cpu: 293.7 images/s (…)"
  guard run.terminationStatus == 0, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("PyTorch") })
  else { return nil }
  let words = line.split(separator: " ")
  if words.count > 1 { torchVersion = String(words[1].dropLast()) }
  return words.firstIndex(of: "images/s").flatMap { $0 > 0 ? Double(words[$0 - 1]) : nil }
}
let torchBefore = torchStepRate()
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
let convMatmul = (fwd["Conv"] ?? 0) + (fwd["Dense"] ?? 0) + (bwd["Conv"] ?? 0) + (bwd["Dense"] ?? 0)
print(String(format: "share of the training step outside conv/matmul: %.1f%%", 100 * (1 - convMatmul / total)))

// PyTorch's step rate for the same network (Benchmarks/torch_tiny_yolo.py), measured just
// before and just after Workbench's epochs (see `torchBefore`); the ratio uses their mean, so a
// drift of the shared machine's speed during the run does not favour either side.
let torchAfter = torchStepRate()
if let before = torchBefore, let after = torchAfter {
  let mean = (before + after) / 2
  print(
    String(
      format: "PyTorch %@: %.1f images/s before, %.1f after (forward + loss + backward + SGD step)",
      torchVersion as NSString, before, after))
  print(
    String(
      format: "  ratio of model steps Workbench / PyTorch: %.2f× (to the mean of both)",
      Double(samples) / stepSeconds / mean))
} else {
  print("PyTorch: not importable here, so no ratio was measured")
}
