import ArgumentParser
import Foundation
import KModel

extension Workbench.Inspect {
  /// `workbench inspect kmodel FILE`: the header, outputs and layers of a K210 kmodel.
  struct KModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "kmodel",
      abstract:
        "Header, outputs and layers (KPU register words decoded) of a K210 .kmodel V3, or the modules, functions,"
        + " sections and ops of a V5 (nncase 1.x).")

    @Argument(help: "A .kmodel file.") var file: String

    func run() throws {
      do {
        guard let data = FileManager.default.contents(atPath: file) else {
          throw ValidationError("cannot read \(file)")
        }
        let bytes = [UInt8](data)
        // V5 starts with the identifier 'KMDL' (bytes "LDMK"); V3 with its version, 3
        if bytes.starts(with: Array("LDMK".utf8)) {
          print(try KModelV5(bytes: bytes).text)
        } else {
          print(try KModelV3(bytes: bytes).text)
        }
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
      }
    }
  }
}
