import Support

/// The sweep file's schema: validation messages and documentation for the fields that have a
/// fixed shape. `space` entries (a list or one of `choice`, `uniform`, `log_uniform`) are
/// checked by ``SweepDimension``; every trial's experiment by ``ExperimentLoader``.
public enum SweepSchema {
  /// The format version this build reads.
  public static let version = 1

  public static let root: Schema = .object(
    fields: [
      .init("version", .int(min: 1, max: 1, "Sweep file format version; this build reads 1."), required: true),
      .init(
        "name", .string(choices: nil, doc: "Sweep name; results go to Reports/<name>/<sweep-id>/."), required: true),
      .init("description", .string(choices: nil, doc: "What the sweep is for."), default: ""),
      .init(
        "base", .string(choices: nil, doc: "The base experiment file, relative to the sweep file."), required: true),
      .init(
        "set",
        .array(
          of: .string(choices: nil, doc: "PATH=VALUE"), minItems: 0,
          doc: "Overrides applied to every trial, as with `workbench run --set` (e.g. \"train.epochs=1\")."),
        default: .array([])),
      .init(
        "space",
        .map(
          of: .unsupported(reason: "a list of values, or one of choice, uniform, log_uniform"),
          doc: "Search space: each key is a `--set` path of the base experiment."),
        required: true),
      .init("search", .choice(SweepSpec.Search.allCases.map(\.rawValue), "How trials are drawn."), default: "grid"),
      .init("trials", .int(min: 1, "Random: number of draws; grid: an optional cap.")),
      .init("seed", .int(min: 0, "Seed of random search."), default: 0),
      .init(
        "objectives",
        .map(
          of: .choice(SweepSpec.Direction.allCases.map(\.rawValue), "Whether higher or lower is better."),
          doc: "KPIs to trade off, as variant.metric of each trial's metrics.json."),
        required: true),
      .init(
        "constraints",
        .map(
          of: .string(choices: nil, doc: "A condition like \"<= 2097152\"."),
          doc: "Conditions a trial must meet to be on the Pareto front."),
        default: .object([:])),
    ], doc: "A Workbench sweep: a base experiment and a search space.")
}
