import BenchModels
import BenchProtocol
import Foundation
import Graph

/// Peak resident memory of a worker process running training steps of tiny YOLO as
/// experiments/yolo.json trains it (zoo `tiny-yolo-shapes`, width 0.5, 96×96) against batch
/// size: the resident set once the model and input are built, the peak after two steps, and the
/// difference (what the step itself needs: activations kept for backward, gradients, optimizer
/// state, scratch buffers). Memory does not depend on the machine's load, so there is no verdict.
enum MemoryGrowth {
  static func run(_ options: BenchOptions, sides: [WorkerCommand]) {
    print(
      "Peak memory of a training step: tiny-yolo-shapes ×0.5 at 96×96, one worker process per side and batch "
        + "(resident MiB when built → peak after 2 steps, and the step's increase)")
    let dir: URL
    do {
      dir = try BenchGraphs.scratchFolder()
      let graph = try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: 0.5, inputSize: [96, 96]))
      try BenchGraphs.write(graph, to: dir.appendingPathComponent("memory.json"))
    } catch {
      print("  not run: \(error)")
      return
    }
    defer { try? FileManager.default.removeItem(at: dir) }
    for (i, batch) in options.batches.enumerated() {
      let job = WorkerJob(
        model: dir.appendingPathComponent("memory.json").path, batch: batch, kinds: ["train"], warmup: 1,
        minSteps: 1, minSeconds: 0, threads: options.threads)
      let c = Comparison.run(rounds: 1, sides: sides, job: job, firstRound: i)
      let cells = c.names.indices.map { side -> String in
        guard let r = c.reports[side].first, let base = r.baselineMiB, let peak = r.peakMiB else {
          return "\(c.names[side]) not measured (\(c.failures[side] ?? "no figures"))"
        }
        return "\(c.names[side]) " + String(format: "%6.0f → %6.0f (+%5.0f)", base, peak, peak - base)
      }
      print(String(format: "  batch %3d: ", batch) + cells.joined(separator: "   "))
    }
  }
}
