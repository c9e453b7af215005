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
      .init("trials", .int(min: 1, "Random, ASHA, TPE: number of trials; grid: an optional cap.")),
      .init("seed", .int(min: 0, "Seed of random, ASHA and TPE search."), default: 0),
      .init(
        "asha",
        .object(
          fields: [
            .init("min_epochs", .int(min: 1, "Epochs of the lowest rung (r)."), required: true),
            .init(
              "max_epochs",
              .int(min: 1, "Epochs of a full trial (R): every trial gets train.epochs = R, its schedule's length."),
              required: true),
            .init(
              "eta", .int(min: 2, "Reduction factor η: rung k trains r·ηᵏ epochs and promotes its top 1/η."), default: 3
            ),
          ], doc: "Search asha: the rungs of asynchronous successive halving (Li et al. 2018)."),
        optional: true),
      .init(
        "tpe",
        .object(
          fields: [
            .init("startup_trials", .int(min: 1, "Random trials before the model proposes."), default: 10),
            .init(
              "gamma",
              .number(
                min: 0, max: 1, exclusiveMin: true, integer: false,
                doc: "The good group is the best ⌈γ·n⌉ of n results on the first objective."), default: 0.25),
            .init("candidates", .int(min: 1, "Draws from l(x) scored by l(x)/g(x) per proposal."), default: 24),
          ], doc: "Search tpe: tree-structured Parzen estimators (Bergstra et al. 2011)."),
        optional: true),
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
