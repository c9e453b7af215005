import ArgumentParser
import Foundation
import KModel

extension Workbench.Inspect {
  /// `workbench inspect kmodel FILE`: the header, outputs and layers of a K210 kmodel V3, or the
  /// modules, functions, sections and ops of a V5; `--runs N` also times its simulator.
  struct KModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "kmodel",
      abstract:
        "Header, outputs and layers (KPU register words decoded) of a K210 .kmodel V3, or the modules, functions,"
        + " sections and ops of a V5 (nncase 1.x).")

    @Argument(help: "A .kmodel file.") var file: String
    @Option(help: "Also run the simulator this many times on a constant input and print the time per run.")
    var runs = 0

    func run() throws {
      do {
        guard let data = FileManager.default.contents(atPath: file) else {
          throw ValidationError("cannot read \(file)")
        }
        let bytes = [UInt8](data)
        // V5 starts with the identifier 'KMDL' (bytes "LDMK"); V3 with its version, 3
        let run: () throws -> Void
        if bytes.starts(with: Array("LDMK".utf8)) {
          print(try KModelV5(bytes: bytes).text)
          let simulator = try KModelV5Simulator(bytes: bytes)
          let input = [Float](repeating: 0.5, count: simulator.inputShape.reduce(1, *))
          run = { _ = try simulator.run(input) }
        } else {
          print(try KModelV3(bytes: bytes).text)
          let simulator = try KModelV3Simulator(bytes: bytes)
          let input = [UInt8](repeating: 128, count: simulator.inputShape?.count ?? 0)
          run = { _ = try simulator.run(input) }
        }
        if runs > 0 {
          try run()
          let start = DispatchTime.now().uptimeNanoseconds
          for _ in 0..<runs { try run() }
          let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(runs)
          print(String(format: "simulator: %.2f ms per run (mean of %d, after one warm-up run)", ms, runs))
        }
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
      }
    }
  }
}
