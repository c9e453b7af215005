import ArgumentParser
import Foundation
import HDF5
import KModel
import Support

extension Workbench {
  /// `workbench simulate k210 FILE.kmodel --input … --output …`: run a deployment file's bytes
  /// on the target's bit-exact simulator.
  struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run an exported deployment file on its target's bit-exact simulator.",
      subcommands: [K210Target.self])

    /// `workbench simulate k210`.
    struct K210Target: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "k210",
        abstract:
          "Run a K210 .kmodel (V3 or V5) on the simulator of its bytes (KPU arithmetic as nncase 1.9's simulator).",
        discussion: """
          For a V3 file the input holds the uint8 codes the KPU reads (camera pixels, as MaixPy \
          passes them): a .npy file (uint8, or float holding whole numbers 0…255) or an HDF5 \
          dataset (--dataset, default `input`). A V5 file takes the float32 image its entry \
          function quantizes. Shape C×H×W or N×C×H×W. The output file gets one float32 dataset \
          per model output, `output0`, `output1`, … (N first); a .npy output takes the first output.
          """)

      @Argument(help: "A .kmodel file.") var file: String
      @Option(help: "Input codes: a .npy or .h5 file.") var input: String
      @Option(help: "The dataset of an .h5 input.") var dataset = "input"
      @Option(help: "Where to write the outputs: .h5 (every output) or .npy (the first).") var output: String

      func run() throws {
        do {
          let bytes = [UInt8](try FileSystem.read(file, "the kmodel"))
          let (values, dims) = try readInput()
          let (outputs, outputShapes, n) =
            bytes.starts(with: Array("LDMK".utf8)) ? try runV5(bytes, values, dims) : try runV3(bytes, values, dims)
          try write(outputs, shapes: outputShapes.map { [n] + $0 })
          print(
            "\(file): \(n) image\(n == 1 ? "" : "s") → \(outputs.count) output\(outputs.count == 1 ? "" : "s") in \(output)"
          )
        } catch let error as ValidationError {
          throw error
        } catch {
          FileHandle.standardError.write(Data("error: \(error)\n".utf8))
          throw ExitCode.failure
        }
      }

      /// V3: the input is the uint8 codes the first KPU layer reads.
      func runV3(_ bytes: [UInt8], _ values: [Float], _ dims: [Int]) throws -> ([[Float]], [[Int]], Int) {
        let simulator = try KModelV3Simulator(bytes: bytes)
        guard let shape = simulator.inputShape else {
          throw ValidationError("\(file): the first layer is not a KPU convolution, so it has no input shape")
        }
        let per = shape.count
        guard values.count % per == 0, values.count > 0, dims.suffix(3).reduce(1, *) == per else {
          throw ValidationError(
            "\(input) has shape \(dims), but the kmodel takes \(shape.channels)×\(shape.height)×\(shape.width) images (C×H×W or N×C×H×W)"
          )
        }
        var codes = [UInt8](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
          guard v >= 0, v <= 255, v == v.rounded() else {
            throw ValidationError("\(input): value \(v) at index \(i) is not a uint8 code (a whole number 0…255)")
          }
          codes[i] = UInt8(v)
        }
        let n = values.count / per
        var outputs: [[Float]] = []
        for image in 0..<n {
          let result = try simulator.run(Array(codes[(image * per)..<((image + 1) * per)]))
          if outputs.isEmpty { outputs = result } else { for k in result.indices { outputs[k] += result[k] } }
        }
        return (outputs, simulator.model.outputs.map { [$0.size / 4] }, n)
      }

      /// V5: the input is the float32 image the entry function quantizes.
      func runV5(_ bytes: [UInt8], _ values: [Float], _ dims: [Int]) throws -> ([[Float]], [[Int]], Int) {
        let simulator = try KModelV5Simulator(bytes: bytes)
        let shape = simulator.inputShape
        let per = shape.dropFirst().reduce(1, *)
        guard per > 0, values.count % per == 0, values.count > 0, dims.suffix(3).reduce(1, *) == per else {
          throw ValidationError(
            "\(input) has shape \(dims), but the kmodel takes \(shape.dropFirst().map(String.init).joined(separator: "×")) float32 images (C×H×W or N×C×H×W)"
          )
        }
        let n = values.count / per
        var outputs: [[Float]] = []
        for image in 0..<n {
          let result = try simulator.run(Array(values[(image * per)..<((image + 1) * per)]))
          if outputs.isEmpty { outputs = result } else { for k in result.indices { outputs[k] += result[k] } }
        }
        return (outputs, simulator.outputShapes.map { Array($0.dropFirst()) }, n)
      }

      func readInput() throws -> ([Float], [Int]) {
        if input.hasSuffix(".npy") {
          let a = try NPYArray(contentsOf: input)
          return (a.scalars, a.shape)
        }
        let f = try HDF5File.open(input)
        defer { try? f.close() }
        let d = try f.root.dataset(dataset)
        return (try d.read(as: Float.self), d.shape)
      }

      func write(_ outputs: [[Float]], shapes: [[Int]]) throws {
        let temporary = output + ".partial-\(getpid())"
        if output.hasSuffix(".npy") {
          guard let first = outputs.first else { return }
          try NPYArray(shape: shapes[0], scalars: first).bytes.write(to: URL(fileURLWithPath: temporary))
        } else {
          let f = try HDF5File.create(at: temporary)
          for (k, values) in outputs.enumerated() { try f.root.write(values, shape: shapes[k], to: "output\(k)") }
          try f.close()
        }
        guard rename(temporary, output) == 0 else {
          try? FileManager.default.removeItem(atPath: temporary)
          throw ValidationError("cannot write \(output): \(String(cString: strerror(errno)))")
        }
      }
    }
  }
}
