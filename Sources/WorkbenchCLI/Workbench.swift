import ArgumentParser

/// The `workbench` command: the root of every subcommand. Subcommands are listed here, once.
public struct Workbench: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "workbench",
    abstract: "Train, compress, quantize, evaluate, export and simulate tiny vision models, reproducibly.",
    discussion: "Run `workbench <command> --help` for a command's options.",
    version: WorkbenchVersion.string,
    subcommands: [
      Run.self,
      Validate.self,
      DataCommand.self,
      Inspect.self,
      Check.self,
      Simulate.self,
      Eval.self,
      Infer.self,
      ExportCommand.self,
      ImportCommand.self,
      Report.self,
      Compare.self,
      Schema.self,
      CacheCommand.self,
      SweepCommand.self,
      Version.self,
    ]
  )

  public init() {}
}
