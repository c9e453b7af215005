import Autograd
import Foundation

// `make bench`: throughput of the reference network (training step and inference), peak memory,
// conv and sgemm GFLOP/s, and the ratio to PyTorch measured in the same run when importable.

func seconds(_ body: () -> Void) -> Double {
  let t0 = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_maxrss) / 1024
}

let batch = 32
var rng = RandomStream(seed: 1).split("bench-input")
let input = Tensor<Float>.normal([batch, 3, 64, 64], rng: &rng)
let net = ReferenceNetwork(seed: 1)

// `WORKBENCH_BENCH_PROFILE=train|infer` runs only that loop (200 steps) and exits: a target for
// `perf record` without the other phases or PyTorch in the profile.
if let mode = ProcessInfo.processInfo.environment["WORKBENCH_BENCH_PROFILE"] {
  for _ in 0..<200 {
    if mode == "infer" {
      _ = withoutGradients { net.forward(Variable(input), training: false) }
    } else {
      _ = net.trainStep(input)
    }
  }
  exit(0)
}

// Training (forward + backward + SGD update) and inference (forward only, BatchNorm in inference
// mode, no graph recorded), in rounds that alternate with PyTorch running the same network in
// the peer process (the side that goes first alternates too). A shared machine's load swings
// last seconds, so per-round ratios and their median are what the verdict uses.
func trainIPS(steps: Int) -> Double {
  _ = net.trainStep(input)
  return Double(steps * batch) / seconds { for _ in 0..<steps { _ = net.trainStep(input) } }
}
func inferIPS(steps: Int) -> Double {
  _ = withoutGradients { net.forward(Variable(input), training: false) }
  return Double(steps * batch)
    / seconds {
      for _ in 0..<steps { _ = withoutGradients { net.forward(Variable(input), training: false) } }
    }
}
let rounds = max(1, Int(ProcessInfo.processInfo.environment["WORKBENCH_BENCH_ROUNDS"] ?? "") ?? 5)
let (trainSteps, inferSteps) = (15, 25)
let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("compare_pytorch.py")
signal(SIGPIPE, SIG_IGN)  // a peer that dies mid-run must not kill the benchmark
var peerFailure = ""
let peer = PyTorchPeer(script: script, failure: &peerFailure)
let settle: UInt32 = 200_000  // µs between sides, so neither side's idle threads overlap the other
var wbTrain: [Double] = [], wbInfer: [Double] = [], ptTrain: [Double] = [], ptInfer: [Double] = []
for _ in 0..<2 { _ = net.trainStep(input) }
for round in 0..<rounds {
  for kind in ["train", "infer"] {
    let steps = kind == "train" ? trainSteps : inferSteps
    let ours = { kind == "train" ? wbTrain.append(trainIPS(steps: steps)) : wbInfer.append(inferIPS(steps: steps)) }
    let theirs = {
      guard let peer, let ips = peer.measure(kind, steps: steps) else { return }
      if kind == "train" { ptTrain.append(ips) } else { ptInfer.append(ips) }
    }
    if round % 2 == 0 { ours(); usleep(settle); theirs() } else { theirs(); usleep(settle); ours() }
    usleep(settle)
  }
}
peer?.stop()

// Conv forward GFLOP/s on the second block's conv (32×16×32×32 → 32 channels, 3×3) and the
// machine's large-sgemm GFLOP/s (2048³, OpenBLAS with all cores).
let convX = Tensor<Float>.normal([batch, 16, 32, 32], rng: &rng)
let convW = Tensor<Float>.normal([32, 16, 3, 3], rng: &rng)
let convReps = 10
let convTime = seconds {
  for _ in 0..<convReps { _ = Conv2D.forward(convX, weight: convW, bias: nil, Conv2DParameters(padding: 1)) }
}
let convGF = 2.0 * Double(batch * 32 * 32 * 32 * 16 * 9 * convReps) / convTime / 1e9
let n = 2048
let a = Tensor<Float>.normal([n, n], rng: &rng), b = Tensor<Float>.normal([n, n], rng: &rng)
let cores = ProcessInfo.processInfo.activeProcessorCount
_ = BLAS.withThreads(cores) { Tensor.matmul(a, b) }
let gemmTime = seconds { _ = BLAS.withThreads(cores) { Tensor.matmul(a, b) } }
let gemmGF = 2.0 * Double(n * n * n) / gemmTime / 1e9

// Per-layer conv GFLOP/s (forward, and the backward pass's input + weight gradients), to show
// where training time goes: small channel counts make narrow matrix products.
var layerLines: [String] = []
for (c, o, hw) in [(3, 16, 64), (16, 32, 32), (32, 64, 16), (64, 128, 8), (128, 256, 4), (256, 512, 2)] {
  let x = Tensor<Float>.normal([batch, c, hw, hw], rng: &rng), w = Tensor<Float>.normal([o, c, 3, 3], rng: &rng)
  let p = Conv2DParameters(padding: 1)
  let flops = 2.0 * Double(batch * o * c * 9 * hw * hw)
  let y = Conv2D.forward(x, weight: w, bias: nil, p)
  let f = seconds { for _ in 0..<5 { _ = Conv2D.forward(x, weight: w, bias: nil, p) } } / 5
  let b =
    seconds { for _ in 0..<5 { _ = Conv2D.backward(y, input: x, weight: w, p, needInput: c > 3, needWeight: true) } }
    / 5
  let bflops = flops * (c > 3 ? 2 : 1)
  layerLines.append(
    String(
      format: "  conv %3d→%3d at %2d×%2d: forward %5.1f GFLOP/s (%.1f ms), backward %5.1f GFLOP/s (%.1f ms)",
      c, o, hw, hw, flops / f / 1e9, f * 1e3, bflops / b / 1e9, b * 1e3))
}

func summary(_ xs: [Double]) -> String {
  String(format: "%7.1f (%.0f–%.0f)", median(xs), xs.min() ?? .nan, xs.max() ?? .nan)
}
print(
  "Workbench reference network (batch \(batch), 3×64×64, \(cores) cores, OpenBLAS \(BLAS.coreName)); "
    + "\(rounds) rounds of \(trainSteps) training / \(inferSteps) inference steps, median (range)")
print("  training    \(summary(wbTrain)) images/s")
print("  inference   \(summary(wbInfer)) images/s")
print(String(format: "  peak memory %7.1f MiB", peakMemoryMiB()))
print(
  String(format: "  conv forward %6.1f GFLOP/s   large sgemm (%d³, %d threads) %6.1f GFLOP/s", convGF, n, cores, gemmGF)
)
for l in layerLines { print(l) }

if let peer, ptTrain.count == rounds, ptInfer.count == rounds {
  let trainRatios = zip(wbTrain, ptTrain).map { $0 / $1 }, inferRatios = zip(wbInfer, ptInfer).map { $0 / $1 }
  print("PyTorch \(peer.version) (same run, alternating rounds, 2 threads)")
  print("  training    \(summary(ptTrain)) images/s")
  print("  inference   \(summary(ptInfer)) images/s")
  print(
    String(
      format:
        "  ratio Workbench / PyTorch, median of rounds (range): training %.2f× (%.2f–%.2f; target ≥ 0.7), inference %.2f× (%.2f–%.2f; target ≥ 1.0)",
      median(trainRatios), trainRatios.min() ?? .nan, trainRatios.max() ?? .nan,
      median(inferRatios), inferRatios.min() ?? .nan, inferRatios.max() ?? .nan))
} else {
  print("PyTorch: no ratio measured (\(peer == nil ? peerFailure : "the peer stopped answering"))")
}
