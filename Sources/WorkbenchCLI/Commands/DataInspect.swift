import ArgumentParser
import Datasets

extension Workbench {
  /// `workbench data inspect FILE`: splits, counts, class histogram, image size, hash.
  struct DataInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspect", abstract: "Summarise a dataset file: splits, counts, classes, image size, content hash.")

    @Argument(help: "The dataset file (.h5).")
    var file: String

    @Flag(help: "Also recompute the content hash and check it against the stored one.")
    var verify = false

    func run() throws {
      print(try DatasetInspector.summary(of: file, verify: verify))
    }
  }
}
