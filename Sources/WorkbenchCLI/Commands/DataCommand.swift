import ArgumentParser

extension Workbench {
  /// `workbench data …`: create, import and look at datasets (format v1, see Data/README.md).
  struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "data",
      abstract: "Generate, import, inspect and preview datasets.",
      subcommands: [DataGenerate.self, DataImport.self, DataInspect.self, DataPreview.self])
  }
}
