import ArgumentParser
import Foundation
import Graph
import K210
import Support

extension Workbench {
  /// `workbench check k210 MODEL`: will this model deploy on the target?
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a model against a deployment target before training it.", subcommands: [K210Target.self])

    /// `workbench check k210 MODEL`: the static K210 check.
    struct K210Target: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "k210",
        abstract:
          "Per-layer KPU/CPU placement, KPU RAM (2 MiB, row layout, first fit) and main memory (6 MiB) of a model.",
        discussion: """
          Applies nncase 1.9's rules for KPU convolutions and its decompositions. Exit status 0 when \
          the model fits, 1 when it does not (the problems are printed).
          """)

      @Argument(help: "A zoo model, a JSON model definition, or a model.json graph.")
      var model: String
      @Option(help: "Width multiplier (channels).") var width: Double = 1
      @Option(help: "Depth multiplier (block repeats).") var depth: Double = 1
      @Option(help: "Input resolution multiplier.") var resolution: Double = 1
      @Option(help: "Input height and width in pixels (before the resolution multiplier).") var inputSize: Int?
      @Option(help: "Number of classes (overrides the definition's).") var classes: Int?
      @Option(help: "Main memory kept for the application and frame buffers, in bytes.") var reserve = 1024 * 1024
      @Option(help: "KPU clock in MHz, for the layer times.") var clock: Double = 400
      @Option(help: "The camera's frame rate, for the frame-pipeline estimate.") var cameraFPS: Double = 30
      @Flag(help: "Print the check as JSON.") var json = false

      func validate() throws {
        if width <= 0 || depth <= 0 || resolution <= 0 {
          throw ValidationError("--width, --depth and --resolution must be > 0")
        }
        if let s = inputSize, s <= 0 { throw ValidationError("--input-size must be > 0") }
        if clock <= 0 { throw ValidationError("--clock must be > 0") }
        if cameraFPS <= 0 { throw ValidationError("--camera-fps must be > 0") }
        if reserve < 0 || reserve >= 6 * 1024 * 1024 {
          throw ValidationError("--reserve must be in 0..<6 MiB (6291456 bytes)")
        }
      }

      func run() throws {
        let graph: ModelGraph
        if model.hasSuffix(".json"), let g = try? ModelGraph.read(URL(fileURLWithPath: model)) {
          graph = g
        } else {
          let options = BuildOptions(
            width: width, depth: depth, resolution: resolution, classes: classes, inputSize: inputSize.map { [$0, $0] })
          graph = try ModelZoo.graph(model, options: options)
        }
        var limits = K210Limits()
        limits.reserve = reserve
        let check = try K210Check(graph, limits: limits)
        if json {
          let encoder = JSONEncoder()
          encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
          print(String(decoding: try encoder.encode(check), as: UTF8.self))
        } else {
          print(check.renderText(clockMHz: clock), terminator: "")
          let frame = K210FrameWork(check, graph: graph, kpuMHz: clock)
          print(
            String(
              format: "model call: %.2f ms (KPU %.2f ms, CPU %.2f ms); frame pipeline with a %.0f fps camera:",
              frame.modelMs, frame.kpuMs, frame.cpuMs, cameraFPS))
          for r in K210Pipeline(work: .init(frame), cameraFPS: cameraFPS).results() { print("  " + r.line) }
        }
        if !check.fits { throw ExitCode(1) }
      }
    }
  }
}
