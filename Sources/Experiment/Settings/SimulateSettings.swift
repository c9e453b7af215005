import Support

/// The `simulate` section: the deployment targets an experiment is meant for. Each target is an
/// optional sub-section; writing it adds the target's stages (today the static K210 check,
/// which runs right after the model stage, so an infeasible model fails before training).
public struct SimulateSettings: Codable, Equatable, Sendable {
  /// The Kendryte K210, when wanted.
  public var k210: K210Settings?

  static let schema = Schema.object(
    fields: [
      .init("k210", K210Settings.schema, optional: true)
    ], doc: "Deployment targets to check (and, in later versions, simulate).")
}

/// `simulate.k210`.
public struct K210Settings: Codable, Equatable, Sendable {
  /// KPU clock in MHz (the timing model scales with it).
  public var clockMhz: Double
  /// Main memory kept for the application, frame buffers and runtime, in bytes.
  public var reserveBytes: Int

  static let schema = Schema.object(
    fields: [
      .init(
        "clock_mhz",
        .number(
          min: 0, max: 800, exclusiveMin: true, integer: false,
          doc: "KPU clock in MHz (400 nominal; Sipeed reports up to 750 at 1.1 V)."), default: 400),
      .init(
        "reserve_bytes",
        .int(
          min: 0, max: 6_291_455,
          "Main memory kept for the application, frame buffers and runtime, in bytes (of the 6 MiB)."),
        default: 1_048_576),
    ],
    doc:
      "The Kendryte K210 (KPU 2 MiB, main memory 6 MiB): nncase 1.9's KPU rules, the KPU RAM plan and main memory are checked after the model stage."
  )
}
