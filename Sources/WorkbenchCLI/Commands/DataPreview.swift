import ArgumentParser
import Datasets

extension Workbench {
  /// `workbench data preview FILE --out grid.png`: a grid of samples with boxes or labels.
  struct DataPreview: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "preview", abstract: "Render a grid of samples with their boxes or labels to a PNG.")

    @Argument(help: "The dataset file (.h5).")
    var file: String

    @Option(name: .shortAndLong, help: "The PNG to write.")
    var out: String

    @Option(help: "The split to show (default: the first one).")
    var split: String?

    @Option(help: "How many images to show.")
    var count: Int = 16

    func validate() throws {
      if count < 1 { throw ValidationError("--count must be at least 1.") }
    }

    func run() throws {
      try DatasetPreview.write(file: file, to: out, split: split, count: count)
      print("wrote \(out)")
    }
  }
}
