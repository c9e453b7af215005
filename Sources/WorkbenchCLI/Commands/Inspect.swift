import ArgumentParser
import Datasets
import Foundation
import Graph
import GraphHDF5
import K210

extension Workbench {
  /// `workbench inspect model|dataset|kmodel`: look inside an artifact.
  struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Look inside a model, a dataset or a kmodel.",
      subcommands: [Model.self, Dataset.self, KModelCommand.self])

    /// `workbench inspect model NAME|FILE`: the per-layer cost table.
    struct Model: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Per-layer parameters, MACs and activation bytes, totals and peak activation memory of a model.")

      @Argument(
        help:
          "A zoo model (tiny-yolo, squeezenet1.1-reid, squeezenet1.1, mobilenet-v1) or a JSON model definition file.")
      var model: String
      @Option(help: "Width multiplier (channels).") var width: Double = 1
      @Option(help: "Depth multiplier (block repeats).") var depth: Double = 1
      @Option(help: "Input resolution multiplier.") var resolution: Double = 1
      @Option(help: "Number of classes (overrides the definition's).") var classes: Int?
      @Option(help: "Also print the graph as text: mermaid or dot.") var diagram: String?
      @Option(
        parsing: .upToNextOption,
        help:
          "A scaling study instead of the layer table: width=…, depth=…, resolution=… lists, e.g. --scale width=0.25,0.5,1 resolution=0.5,1."
      )
      var scale: [String] = []
      @Flag(help: "With --scale: print the study as JSON.") var json = false
      @Flag(
        help:
          "With --scale: add each combination's K210 model-call time (KPU + CPU, the timing model of `check k210`) and whether it fits."
      )
      var k210 = false

      func validate() throws {
        if width <= 0 || depth <= 0 || resolution <= 0 {
          throw ValidationError("--width, --depth and --resolution must be > 0")
        }
        if let d = diagram, !["mermaid", "dot"].contains(d) {
          throw ValidationError("--diagram must be mermaid or dot, got \(d)")
        }
      }

      func run() throws {
        let options = BuildOptions(width: width, depth: depth, resolution: resolution, classes: classes)
        do {
          if !scale.isEmpty {
            let axes = try ScalingStudy.axes(scale)
            let device: ScalingStudy.DeviceEstimate? =
              k210
              ? { graph in
                let check = try K210Check(graph)
                return (K210FrameWork(check, graph: graph).modelMs, check.fits)
              } : nil
            let study = try ScalingStudy(
              model, widths: axes.widths, depths: axes.depths, resolutions: axes.resolutions, classes: classes,
              device: device)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(json ? String(decoding: try encoder.encode(study), as: UTF8.self) : study.renderText())
            return
          }
          let kind: ModelInspector.Diagram = diagram == "mermaid" ? .mermaid : diagram == "dot" ? .dot : .none
          print(try ModelInspector.summary(of: model, options: options, diagram: kind))
        } catch {
          FileHandle.standardError.write(Data("error: \(error)\n".utf8))
          throw ExitCode.failure
        }
      }
    }

    /// `workbench inspect dataset FILE`: same as `workbench data inspect`.
    struct Dataset: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Splits, counts, class histogram, image size and content hash of a dataset file.")
      @Argument(help: "Dataset file (HDF5, format v1).") var file: String
      func run() throws {
        do { print(try DatasetInspector.summary(of: file)) } catch {
          FileHandle.standardError.write(Data("error: \(error)\n".utf8))
          throw ExitCode.failure
        }
      }
    }
  }
}
