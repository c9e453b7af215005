import K210
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
  /// CPU clock in MHz (the CPU-op costs scale with it).
  public var cpuMhz: Double
  /// The camera's frame rate.
  public var cameraFps: Double
  /// The frame-pipeline scenario whose fps and latency are the `k210` block's headline.
  public var pipeline: K210Scenario

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
      .init(
        "cpu_mhz",
        .number(
          min: 0, max: 800, exclusiveMin: true, integer: false,
          doc: "CPU clock in MHz (400 nominal); the CPU ops' costs scale with it."), default: 400),
      .init(
        "camera_fps",
        .number(
          min: 0, max: 240, exclusiveMin: true, integer: false,
          doc: "The camera's frame rate (the frame pipeline's period is 1000 / fps ms)."), default: 30),
      .init(
        "pipeline",
        .choice(
          K210Scenario.self,
          "The frame-pipeline scenario whose fps and latency go into metrics.json (`k210.fps`, `k210.latency_ms`); the report shows all four: "
            + K210Scenario.allCases.map { "`\($0.rawValue)` (\($0.summary))" }.joined(separator: "; ")),
        default: "dma-upload"),
    ],
    doc:
      "The Kendryte K210 (KPU 2 MiB, main memory 6 MiB): nncase 1.9's KPU rules, the KPU RAM plan and main memory are checked after the model stage; after training (and compression, quantization and export) the deployed model's per-layer time and its frame pipeline are simulated."
  )
}

extension K210Scenario: SettingChoice {}
