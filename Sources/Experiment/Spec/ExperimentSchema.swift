/// The experiment file format, version 1: the root fields and one section per stage, each
/// section's fields, ranges, defaults and names coming from the stage's settings type.
/// `docs` strings become the descriptions in `workbench schema`.
public enum ExperimentSchema {
  static let later = { (stage: String) in
    Schema.unsupported(
      reason:
        "this version (1) of the experiment format does not support the `\(stage)` stage yet; remove the section (it is planned for a later version)"
    )
  }

  /// The whole format.
  public static let root = Schema.object(
    fields: [
      .init("version", .int(min: 1, max: 1, "Format version; this Workbench reads version 1."), required: true),
      .init(
        "name",
        .string(
          choices: nil, doc: "Experiment name: letters, digits, '.', '_' and '-'; names the run folder Reports/<name>/."
        ), required: true),
      .init("description", .string(choices: nil, doc: "Free text shown in the report."), default: ""),
      .init(
        "seed",
        .int(
          min: 0, max: 4_294_967_295,
          "Seed of the run's root random stream; every random draw comes from it, split by stage and purpose."),
        default: 0),
      .init("data", DataSettings.schema, default: .object([:])),
      .init("model", ModelSettings.schema, default: .object([:])),
      .init("train", TrainSettings.schema, default: .object([:])),
      .init("evaluate", EvaluateSettings.schema, default: .object([:])),
      .init("report", ReportSettings.schema, default: .object([:])),
      .init("compress", CompressSettings.schema, optional: true),
      .init("quantize", QuantizeSettings.schema, optional: true),
      .init("export", ExportSettings.schema, optional: true),
      .init("simulate", SimulateSettings.schema, default: .object([:])),
      .init("sweep", later("sweep")),
    ], doc: "A Workbench experiment (format version 1).")
}
