import Autograd
import BenchProtocol
import Foundation

/// Conv and sgemm GFLOP/s, measured in the benchmark process itself once no worker is alive: the
/// second block's conv of the reference network, the machine's large-sgemm rate (2048³, one
/// single-threaded OpenBLAS call per core), and forward and backward of each 3×3 layer of tiny
/// YOLO's backbone at 64×64 (width 1, batch 32: the reference network's four layers are its first
/// four) and of every 3×3 layer of `yolo.json`'s model (width 0.5 at 96×96, batch 16), each also as
/// a percentage of the sgemm rate measured beside it: `rounds` rounds (ten unless `--rounds` says
/// otherwise), each of which times every layer in turn — one sgemm, then the layer's forward calls
/// for ``warmUpSeconds`` and two timed ones, and the same for its backward; the best of a layer's
/// sgemm calls and of its timed calls, with the median of those timed calls beside it. The warm-up
/// is timed rather than one call: right after the sgemm's 48 MiB (0.13 s of multiply-adds on both
/// cores) a layer's calls ran slower one after another until the sixth to eighth — on the EPYC
/// host, best of six rounds, 3→8 @96 batch 16 0.82, 0.74, 0.72, 0.70, … 0.65 ms for its calls 1, 2,
/// 3, 4, … 10; 3→16 @64 1.28–1.42 ms for the first call against 0.93–1.07 for the tenth; 16→32 @24
/// 0.71–0.76 against 0.54–0.67 — a slope of about 5 ms, of which one 2048³ sgemm (0.13 s) spends
/// only its first few percent. With one warm-up call, the section compared a layer's second and
/// third calls on that slope with sgemm's steady rate, and reported the streaming first layer at
/// 64–69% in some runs (cold calls are what a training step sees, and the training comparisons
/// time whole steps).
/// A shared host's speed drifts by tens of percent within minutes; a rate measured once at the
/// start would turn that drift into the layers' percentages, while an sgemm timed just before the
/// layer sees the same host. A call of half a millisecond lands anywhere in a spread of 30–60% on
/// such a host (the best of 2,000 calls against their median), while one 2048³ sgemm (a tenth of a
/// second) averages over it: the best of twenty short calls is the one to compare with the best of
/// ten long ones. The rounds go across the layers, so a layer's rounds are spread over the whole
/// section (about 25 s) rather than run back to back in 1.5 s: on the EPYC host, windows of a few
/// seconds slowed every call of the streaming first layers (6.5 MB per call) up to twofold, but not
/// the cache-resident sgemm timed between them, and a layer whose ten rounds all fell in one window
/// was reported at 55% for a kernel that reaches 72–81% outside them.
enum KernelRates {
  static func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
  }

  /// How long a layer's calls run before its timed ones in each round (at least one call).
  static let warmUpSeconds = 0.01

  /// Calls `body` until ``warmUpSeconds`` have passed, at least once.
  static func warmUp(_ body: () -> Void) {
    var spent = 0.0
    repeat { spent += seconds(body) } while spent < warmUpSeconds
  }

  static func print(rounds: Int) {
    var rng = RandomStream(seed: 1).split("bench-kernels")
    let batch = 32
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
    // The large sgemm as the layers use it: single-threaded OpenBLAS calls, one per core on
    // disjoint row blocks of C. (OpenBLAS's own threads keep spinning for a while after a call
    // and would slow whatever runs next: the layer measured beside it.)
    var c = [Float](repeating: 0, count: n * n)
    let gemm = {
      seconds {
        a.scalars.withUnsafeBufferPointer { pa in
          b.scalars.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              guard let ab = pa.baseAddress, let bb = pb.baseAddress, let cp = pc.baseAddress else { return }
              let cb = SendablePointer(cp)
              Parallel.forEachChunk(Parallel.chunks(n, maxChunks: cores)) { _, rows in
                BLAS.sgemm(
                  transA: false, transB: false, m: rows.count, n: n, k: n, alpha: 1, a: ab + rows.lowerBound * n,
                  lda: n, b: bb, ldb: n, beta: 0, c: cb.p + rows.lowerBound * n, ldc: n)
              }
            }
          }
        }
      }
    }
    _ = gemm()
    let gemmFlops = 2.0 * Double(n * n * n)
    Swift.print(
      "Kernels (this process, OpenBLAS \(BLAS.coreName)): "
        + String(
          format: "conv forward %.1f GFLOP/s, large sgemm (%d³, %d cores) %.1f GFLOP/s", convGF, n, cores,
          gemmFlops / gemm() / 1e9))
    Swift.print(
      "  (rates count the dense 2·N·O·C·9·H·W flops, padding taps included; the image-lane kernels of maps up to 6×6"
        + " skip the padding taps, so their rate can exceed sgemm's)")
    let groups: [(String, Int, [(Int, Int, Int)])] = [
      (
        "tiny YOLO ×1 at 64×64, batch 32", 32,
        [(3, 16, 64), (16, 32, 32), (32, 64, 16), (64, 128, 8), (128, 256, 4), (256, 512, 2)]
      ),
      (
        "yolo.json's tiny YOLO ×0.5 at 96×96, batch 16", 16,
        [(3, 8, 96), (8, 16, 48), (16, 32, 24), (32, 64, 12), (64, 128, 6), (192, 128, 6), (128, 256, 3)]
      ),
    ]
    // every layer's data first, then the rounds: each round times every layer in turn
    var layers: [Layer] = []
    for (group, (_, batch, shapes)) in groups.enumerated() {
      for (c, o, hw) in shapes {
        let x = Tensor<Float>.normal([batch, c, hw, hw], rng: &rng), w = Tensor<Float>.normal([o, c, 3, 3], rng: &rng)
        layers.append(Layer(group: group, c: c, o: o, hw: hw, x: x, w: w))
      }
    }
    // this process as the measured one, so others' use and steal come out as in the comparisons
    let snapshot = {
      try LoadSnapshot(
        system: SystemCPUSnapshot.read(), childTicks: ProcessCPU.ticks(pid: getpid()), selfTicks: 0,
        loadAverage: LoadAverage.oneMinute())
    }
    let (start, rounds) = (try? snapshot(), max(1, rounds))
    for _ in 0..<rounds {
      for l in layers.indices {
        layers[l].gemms.append(gemm())
        layers[l].time()
      }
    }
    if let start, let end = try? snapshot() {
      Swift.print("  \(rounds) rounds across the layers, " + WindowLoad(from: start, to: end).text)
    }
    var forwardPercents: [(name: String, percent: Double)] = []
    for (group, (title, _, _)) in groups.enumerated() {
      Swift.print("  \(title):")
      for layer in layers where layer.group == group {
        let (f, back, g) = (layer.forwards.min() ?? .nan, layer.backwards.min() ?? .nan, layer.gemms.min() ?? .nan)
        let (fr, br, gr) = (layer.flops / f / 1e9, layer.backwardFlops / back / 1e9, gemmFlops / g / 1e9)
        Swift.print(
          String(
            format:
              "    conv %3d→%3d at %2d×%2d: forward %5.1f GFLOP/s (%3.0f%% of sgemm, %.2f ms, median %.2f), backward %5.1f GFLOP/s (%3.0f%%, %.2f ms, median %.2f); sgemm beside it %5.1f",
            layer.c, layer.o, layer.hw, layer.hw, fr, 100 * fr / gr, f * 1e3, median(layer.forwards) * 1e3, br,
            100 * br / gr, back * 1e3, median(layer.backwards) * 1e3, gr))
        forwardPercents.append(("\(layer.c)→\(layer.o) at \(layer.hw)×\(layer.hw)", 100 * fr / gr))
      }
    }
    // issue #18's per-layer target, answered for this run
    Swift.print("  " + KernelTarget().summary(forwardPercents))
  }
  /// One 3×3 layer of the section, its data kept for every round, and its timed calls.
  struct Layer {
    let group: Int, c: Int, o: Int, hw: Int
    let x: Tensor<Float>, w: Tensor<Float>, y: Tensor<Float>, columns: Conv2D.Columns?
    var forwards: [Double] = [], backwards: [Double] = [], gemms: [Double] = []
    /// Every layer's: 3×3, stride 1, padding 1.
    static let p = Conv2DParameters(padding: 1)

    init(group: Int, c: Int, o: Int, hw: Int, x: Tensor<Float>, w: Tensor<Float>) {
      (self.group, self.c, self.o, self.hw, self.x, self.w) = (group, c, o, hw, x, w)
      // the backward as training runs it: with the columns its forward kept
      (y, columns) = Conv2D.forwardKeepingColumns(x, weight: w, bias: nil, Self.p)
    }

    /// 2·N·O·C·9·H·W: the forward's dense flops.
    var flops: Double { 2.0 * Double(x.shape[0] * o * c * 9 * hw * hw) }
    /// The backward's: the weight gradient, and the input gradient after the first layer.
    var backwardFlops: Double { flops * (c > 3 ? 2 : 1) }

    func forward() { _ = Conv2D.forward(x, weight: w, bias: nil, Self.p) }

    func backward() {
      _ = Conv2D.backward(
        y, input: x, weight: w, Self.p, needInput: c > 3, needWeight: true, columns: columns)
    }

    /// One round's calls after its sgemm: forward calls for ``KernelRates/warmUpSeconds``, then
    /// two timed; the same for the backward.
    mutating func time() {
      KernelRates.warmUp(forward)
      for _ in 0..<2 { forwards.append(KernelRates.seconds(forward)) }
      KernelRates.warmUp(backward)
      for _ in 0..<2 { backwards.append(KernelRates.seconds(backward)) }
    }
  }
}
