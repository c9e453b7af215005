import Autograd
import Foundation

/// Conv and sgemm GFLOP/s, measured in the benchmark process itself once no worker is alive:
/// the second block's conv of the reference network, the machine's large-sgemm rate (2048³,
/// OpenBLAS with all cores), and forward and backward of each 3×3 layer of tiny YOLO's backbone
/// at 64×64 (width 1, batch 32: the reference network's four layers are its first four) and of
/// every 3×3 layer of `yolo.json`'s model (width 0.5 at 96×96, batch 16), each also as a
/// percentage of that sgemm rate (best of five calls after a warm-up, so a busy moment of a
/// shared machine does not set the rate).
enum KernelRates {
  static func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
  }

  static func print() {
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
    _ = BLAS.withThreads(cores) { Tensor.matmul(a, b) }
    let gemmTime = seconds { _ = BLAS.withThreads(cores) { Tensor.matmul(a, b) } }
    let gemmGF = 2.0 * Double(n * n * n) / gemmTime / 1e9
    Swift.print(
      "Kernels (this process, OpenBLAS \(BLAS.coreName)): "
        + String(
          format: "conv forward %.1f GFLOP/s, large sgemm (%d³, %d threads) %.1f GFLOP/s", convGF, n, cores, gemmGF))
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
    for (title, batch, layers) in groups {
      Swift.print("  \(title):")
      for (c, o, hw) in layers {
        let x = Tensor<Float>.normal([batch, c, hw, hw], rng: &rng), w = Tensor<Float>.normal([o, c, 3, 3], rng: &rng)
        let p = Conv2DParameters(padding: 1)
        let flops = 2.0 * Double(batch * o * c * 9 * hw * hw)
        let y = Conv2D.forward(x, weight: w, bias: nil, p)
        _ = Conv2D.backward(y, input: x, weight: w, p, needInput: c > 3, needWeight: true)  // warm-up
        // best of 5 (one call each): the closest to the kernel's own speed on a shared machine
        let f = (0..<5).map { _ in seconds { _ = Conv2D.forward(x, weight: w, bias: nil, p) } }.min() ?? 0
        let back =
          (0..<5).map { _ in
            seconds { _ = Conv2D.backward(y, input: x, weight: w, p, needInput: c > 3, needWeight: true) }
          }.min() ?? 0
        let bflops = flops * (c > 3 ? 2 : 1)
        let (fr, br) = (flops / f / 1e9, bflops / back / 1e9)
        Swift.print(
          String(
            format:
              "    conv %3d→%3d at %2d×%2d: forward %5.1f GFLOP/s (%3.0f%% of sgemm, %.2f ms), backward %5.1f GFLOP/s (%3.0f%%, %.2f ms)",
            c, o, hw, hw, fr, 100 * fr / gemmGF, f * 1e3, br, 100 * br / gemmGF, back * 1e3))
      }
    }
  }
}
