import ArgumentParser

extension Workbench {
  /// `workbench export …`: write a model in another tool's format.
  struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Export a model to another tool's format.",
      subcommands: [ExportONNX.self])
  }
}
