import ArgumentParser
import Experiment
import Support

extension Workbench {
  /// `workbench schema`: the JSON Schema of the experiment format, for editors.
  struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schema",
      abstract: "Print the JSON Schema of experiment files (point your editor's JSON schema setting at it).")

    func run() throws {
      var s = ExperimentSchema.root.jsonSchema().objectValue ?? [:]
      s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
      s["title"] = "Workbench experiment, version 1"
      print(JSONValue.object(s).pretty())
    }
  }
}
