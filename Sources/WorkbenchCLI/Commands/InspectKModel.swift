import ArgumentParser
import Foundation
import KModel

extension Workbench.Inspect {
  /// `workbench inspect kmodel FILE`: the header, outputs and layers of a K210 kmodel.
  struct KModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "kmodel",
      abstract: "Header, outputs and per-layer fields (KPU register words decoded) of a K210 .kmodel (V3).")

    @Argument(help: "A .kmodel file.") var file: String

    func run() throws {
      do {
        guard let data = FileManager.default.contents(atPath: file) else {
          throw ValidationError("cannot read \(file)")
        }
        print(try KModelV3(bytes: [UInt8](data)).text)
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
      }
    }
  }
}
