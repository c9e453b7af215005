import ArgumentParser

extension Workbench {
  /// `workbench import …`: bring a model from another tool into Workbench's formats.
  struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import a model from another tool's format.",
      subcommands: [ImportONNX.self])
  }
}
