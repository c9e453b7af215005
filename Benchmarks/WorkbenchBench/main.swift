import Autograd
import BenchModels
import BenchProtocol
import Foundation
import Graph

// `make bench`: Workbench against PyTorch, one process per side and round (this executable
// re-runs itself with `--worker` for our side; Benchmarks/torch_worker.py for PyTorch's), with
// the machine's other load measured in every timed window. Sections: the reference network
// (training and inference, alternating rounds), conv and sgemm GFLOP/s (in this process, no
// worker alive), cost growth (images/s against resolution and width for tiny YOLO and the
// SqueezeNet face descriptor) and peak memory of a training step against batch size.
// Flags and variables: BenchProtocol/BenchOptions.swift; `--strict` exits 3 when a ratio was
// unreliable.

OursWorker.runIfRequested()
signal(SIGPIPE, SIG_IGN)  // a worker that dies mid-run must not kill the benchmark
setvbuf(stdout, nil, _IOLBF, 0)  // each line as it is measured, also into a pipe or file

// `WORKBENCH_BENCH_PROFILE=train|infer` runs only that loop of the reference network (200 steps)
// in this process and exits: a target for `perf record` without workers or PyTorch.
// `yolo-train|yolo-infer` does the same for tiny YOLO ×0.5 at 96×96, batch 16 (experiments/yolo.json's
// model; 100 steps); `yolo-train:WIDTH:SIZE:BATCH` for another width, input size and batch.
if let mode = ProcessInfo.processInfo.environment["WORKBENCH_BENCH_PROFILE"], mode.hasPrefix("yolo-") {
  let parts = mode.split(separator: ":").map(String.init)
  let width = parts.count > 1 ? Double(parts[1]) ?? 0.5 : 0.5
  let size = parts.count > 2 ? Int(parts[2]) ?? 96 : 96, batch = parts.count > 3 ? Int(parts[3]) ?? 16 : 16
  let graph = try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: width, inputSize: [size, size]))
  let step = try GraphStep(graph: graph, batch: batch)
  for _ in 0..<100 { parts[0] == "yolo-infer" ? step.inferStep() : step.trainStep() }
  exit(0)
}
// `conv-forward:C:O:SIZE:BATCH` (or `conv-backward:…`) times one 3×3 padding-1 layer's forward (or
// backward) pass 2,000 times and prints the best and median call: a target for `perf record` on one layer.
if let mode = ProcessInfo.processInfo.environment["WORKBENCH_BENCH_PROFILE"], mode.hasPrefix("conv-") {
  let v = OpProfile.arguments(mode, count: 4, form: "conv-forward:C:O:SIZE:BATCH")
  var rng = RandomStream(seed: 1).split("bench-layer")
  let x = Tensor<Float>.normal([v[3], v[0], v[2], v[2]], rng: &rng)
  let w = Tensor<Float>.normal([v[1], v[0], 3, 3], rng: &rng)
  let p = Conv2DParameters(padding: 1)
  let (y, columns) = Conv2D.forwardKeepingColumns(x, weight: w, bias: nil, p)
  let backward = mode.hasPrefix("conv-backward"), needInput = v[0] > 3  // as KernelRates times it
  let times = OpProfile.callTimes {
    if backward {
      _ = Conv2D.backward(y, input: x, weight: w, p, needInput: needInput, needWeight: true, columns: columns)
    } else {
      _ = Conv2D.forward(x, weight: w, bias: nil, p)
    }
  }
  let flops = 2.0 * Double(v[3] * v[1] * v[0] * 9 * v[2] * v[2]) * (backward && needInput ? 2 : 1)
  print(
    String(
      format: "%@: best %.3f ms (%.1f GFLOP/s), median %.3f ms", mode, times[0], flops / times[0] / 1e6, times[1000]))
  exit(0)
}
// `bn-pool-backward:C:SIZE:BATCH` times the training BatchNorm + leaky ReLU + 2×2 max pool's backward
// (the fused op of tiny YOLO's first layers) 2,000 times and prints the best and median call.
if let mode = ProcessInfo.processInfo.environment["WORKBENCH_BENCH_PROFILE"], mode.hasPrefix("bn-pool-backward") {
  let v = OpProfile.arguments(mode, count: 3, form: "bn-pool-backward:C:SIZE:BATCH")
  var rng = RandomStream(seed: 1).split("bench-bn")
  let x = Tensor<Float>.normal([v[2], v[0], v[1], v[1]], rng: &rng)
  let gamma = Tensor<Float>.normal([v[0]], rng: &rng), beta = Tensor<Float>.normal([v[0]], rng: &rng)
  let (y, argmax, stats) = BatchNormKernel.trainingForwardMaxPool(
    x, epsilon: 1e-5, gamma: gamma, beta: beta, activation: .leakyRelu(0.1))
  let g = Tensor<Float>.normal(y.shape, rng: &rng)
  let times = OpProfile.callTimes {
    _ = BatchNormKernel.backwardMaxPool(
      g, argmax: argmax, x: x, mean: stats.mean, invStd: stats.invStd, gamma: gamma, activation: .leakyRelu(0.1),
      beta: beta)
  }
  print(String(format: "%@: best %.3f ms, median %.3f ms", mode, times[0], times[1000]))
  exit(0)
}
if let mode = ProcessInfo.processInfo.environment["WORKBENCH_BENCH_PROFILE"] {
  var rng = RandomStream(seed: 1).split("bench-input")
  let input = Tensor<Float>.normal([32, 3, 64, 64], rng: &rng)
  let net = ReferenceNetwork(seed: 1)
  for _ in 0..<200 {
    if mode == "infer" {
      _ = withoutGradients { net.forward(Variable(input), training: false) }
    } else {
      _ = net.trainStep(input)
    }
  }
  exit(0)
}

let options: BenchOptions
do {
  options = try BenchOptions(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
  FileHandle.standardError.write(Data("WorkbenchBench: \(error)\n".utf8))
  exit(2)
}
let sides = [OursWorker.command, TorchWorker.command]
var unreliable = 0

if options.runs("reference") {
  let rounds = options.rounds ?? 5
  let job = WorkerJob(model: "reference", batch: 32, warmup: 2, minSteps: 5, minSeconds: 1, threads: options.threads)
  print(
    "Reference network (batch 32, 3×64×64), threads per side: \(options.threads), \(rounds) alternating rounds, "
      + "one process per side and round; images/s with the other load of each timed window")
  let comparison = Comparison.run(rounds: rounds, sides: sides, job: job)
  for kind in ["train", "infer"] {
    print("  \(kind == "train" ? "training" : "inference"):")
    for line in comparison.lines(kind, policy: options.policy) { print("  " + line) }
    if comparison.ratio(kind, policy: options.policy).isUnreliable { unreliable += 1 }
  }
  let peaks = comparison.names.indices.compactMap { side in
    comparison.reports[side].compactMap(\.peakMiB).max().map {
      "\(comparison.names[side]) " + String(format: "%.0f MiB", $0)
    }
  }
  print("  peak resident memory of a worker (training then inference): " + peaks.joined(separator: ", "))
  if let version = comparison.reports[1].first?.version { print("  PyTorch \(version)") }
}

if options.runs("kernels") { KernelRates.print(rounds: options.rounds ?? 10) }
if options.runs("growth") { unreliable += CostGrowth.run(options, sides: sides) }
if options.runs("memory") { MemoryGrowth.run(options, sides: sides) }

if unreliable > 0 {
  print(
    "\(unreliable) comparison(s) ran with more than \(options.policy.maxOtherCores) core of other load: their ratios were withheld"
  )
  if options.strict { exit(3) }
}
