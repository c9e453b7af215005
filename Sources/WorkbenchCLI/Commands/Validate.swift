import ArgumentParser
import Experiment

extension Workbench {
  /// `workbench validate FILE`: checks an experiment file and prints the resolved experiment.
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check an experiment file; list every problem with its JSON path, or print the resolved experiment.")

    @Argument(help: "Experiment file (JSON).")
    var file: String
    @OptionGroup var overrides: OverrideOptions
    @Flag(help: "Print only 'valid' instead of the resolved experiment.")
    var quiet = false

    func run() throws {
      let e = try loadExperiment(file, overrides: overrides.set)
      print(quiet ? "valid" : e.document.pretty())
    }
  }
}
