import ArgumentParser
import Experiment
import Foundation
import Support

/// `--set PATH=VALUE`, shared by the commands that read experiment files.
struct OverrideOptions: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Override a setting, e.g. --set train.epochs=3 (repeatable).", valueName: "path=value"))
  var set: [String] = []
}

/// Loads an experiment file, printing every problem and exiting with code 2 when it is invalid.
func loadExperiment(_ file: String, overrides: [String]) throws -> ResolvedExperiment {
  do {
    return try ExperimentLoader.load(path: file, overrides: overrides)
  } catch let e as SpecError {
    FileHandle.standardError.write(Data("error: \(e)\n".utf8))
    throw ExitCode(2)
  } catch let e as FileSystemError {
    FileHandle.standardError.write(Data("error: \(e)\n".utf8))
    throw ExitCode(2)
  }
}
