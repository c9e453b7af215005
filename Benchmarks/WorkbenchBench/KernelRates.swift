import Autograd
import Foundation

/// Conv and sgemm GFLOP/s, measured in the benchmark process itself once no worker is alive:
/// the second block's conv of the reference network, the machine's large-sgemm rate (2048³,
/// OpenBLAS with all cores), and each 3×3 layer of tiny YOLO's backbone forward and backward
/// (batch 32; best of five calls after a warm-up, so a busy moment of a shared machine does not
/// set the rate).
enum KernelRates {
  static func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
  }

  static func print() {
    let batch = 32
    var rng = RandomStream(seed: 1).split("bench-kernels")
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
    for (c, o, hw) in [(3, 16, 64), (16, 32, 32), (32, 64, 16), (64, 128, 8), (128, 256, 4), (256, 512, 2)] {
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
      Swift.print(
        String(
          format:
            "  conv %3d→%3d at %2d×%2d: forward %5.1f GFLOP/s (%.1f ms), backward %5.1f GFLOP/s (%.1f ms), best of 5",
          c, o, hw, hw, flops / f / 1e9, f * 1e3, bflops / back / 1e9, back * 1e3))
    }
  }
}
