import BenchModels
import BenchProtocol
import Foundation
import Graph

/// Images/s of a training step and of inference against input resolution and width multiplier,
/// for tiny YOLO (zoo `tiny-yolo-shapes`, the model of experiments/yolo.json) and the SqueezeNet
/// face descriptor (zoo `squeezenet1.1-reid`, the model of experiments/faceid.json, grayscale),
/// both sides building the same graph file. One alternating round per cell by default (who goes
/// first alternates from cell to cell); a cell's ratio is withheld when its windows were loaded.
enum CostGrowth {
  static let models = ["tiny-yolo-shapes", "squeezenet1.1-reid"]
  static let batch = 16

  /// Runs the grid and prints it; returns the number of cells whose ratio was unreliable.
  static func run(_ options: BenchOptions, sides: [WorkerCommand]) -> Int {
    let rounds = options.rounds ?? 1
    print(
      "Cost growth: images/s (best of \(rounds) round\(rounds == 1 ? "" : "s")), batch \(batch), threads: \(options.threads), "
        + "one process per side and cell; ratio = Workbench / PyTorch, '-' where other load exceeded "
        + "\(options.policy.maxOtherCores) core (the load column is the worst window's others + steal)")
    print(
      "  model              input   width   parameters |  train: Workbench  PyTorch  ratio |  infer: Workbench  PyTorch  ratio | load"
    )
    var unreliable = 0, cell = 0
    let dir: URL
    do { dir = try BenchGraphs.scratchFolder() } catch {
      print("  not run: \(error)")
      return 0
    }
    defer { try? FileManager.default.removeItem(at: dir) }
    for model in models {
      for side in options.resolutions {
        for width in options.widths {
          defer { cell += 1 }
          let name = "\(model)  \(side)×\(side)  ×\(width)"
          let file = dir.appendingPathComponent("\(model)-\(side)-\(width).json")
          do {
            let graph = try ModelZoo.graph(model, options: BuildOptions(width: width, inputSize: [side, side]))
            try BenchGraphs.write(graph, to: file)
          } catch {
            print("  \(name): cannot build (\(error))")
            continue
          }
          let job = WorkerJob(
            model: file.path, batch: batch, warmup: 1, minSteps: 2, minSeconds: 0.5, threads: options.threads)
          let c = Comparison.run(rounds: rounds, sides: sides, job: job, firstRound: cell)
          print(row(model: model, side: side, width: width, c, options.policy))
          for kind in ["train", "infer"] where c.ratio(kind, policy: options.policy).isUnreliable { unreliable += 1 }
        }
      }
    }
    return unreliable
  }

  static func row(model: String, side: Int, width: Double, _ c: Comparison, _ policy: LoadPolicy) -> String {
    let params = c.reports.map { $0.first?.parameters }
    let count = params[0].map(String.init) ?? "?"
    var text =
      "  " + model.padding(toLength: 19, withPad: " ", startingAt: 0)
      + String(format: "%3d×%-3d %5.2f ", side, side, width)
      + String(repeating: " ", count: max(0, 12 - count.count)) + count + " |"
    if let a = params[0], let b = params[1], a != b {
      text += " ARCHITECTURE MISMATCH: PyTorch built \(b) parameters"
    }
    for kind in ["train", "infer"] {
      let rates = (0..<2).map { side in
        c.measurements(kind, side: side).isEmpty
          ? "    -" : String(format: "%7.1f", RateSummary(c.measurements(kind, side: side).map(\.imagesPerSecond)).best)
      }
      let ratio: String
      if case .ratio(let r) = c.ratio(kind, policy: policy) {
        ratio = String(format: "%5.2f×", r)
      } else {
        ratio = "    -"
      }
      text += "        \(rates[0])  \(rates[1])  \(ratio) |"
    }
    let worst = c.verdict("train", policy: policy).worst
    text += String(format: " %.2f", max(worst, c.verdict("infer", policy: policy).worst))
    for (side, why) in c.failures.sorted(by: { $0.key < $1.key }) { text += "  (\(c.names[side]): \(why))" }
    return text
  }
}
