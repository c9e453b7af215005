/// The frame pipeline of a K210 application as a discrete-event simulation: a free-running (or,
/// in `sequential`, requested) camera delivers frames every `1000 / fps` ms; each frame is
/// preprocessed, uploaded into KPU RAM, run through the model (KPU layers and the CPU ops
/// between them: nncase's runtime busy-waits on the KPU, so the core running the model is
/// occupied for all of it) and post-processed. A stage starts as soon as its frame is ready,
/// its processors are free and it can take a buffer; a later stage goes first on a shared core;
/// a frame that is still waiting for a stage when a newer one is ready for it is dropped (the
/// newest frame wins, at the camera and at every queue after it). Stages start as early as they
/// can: an application that starts the DMA upload just in time for the KPU would shorten the
/// latency of a frame that waits for a slow model.
///
/// Outputs the steady state: results per second, the latency from the start of a frame's
/// capture to its result, each processor's utilisation, the frame-buffer memory, and the task
/// spans for a Gantt chart.
public struct K210Pipeline: Sendable {
  /// What one frame costs, in milliseconds, and its buffers' sizes.
  public struct Work: Codable, Equatable, Sendable {
    public var preprocessMs: Double, uploadCPUMs: Double, uploadDMAMs: Double, modelMs: Double
    public var postprocessMs: Double
    /// The part of `modelMs` the KPU computes (the rest is CPU ops and copies).
    public var kpuMs: Double
    /// Bytes of one camera frame buffer and of one model input buffer (main memory), and of
    /// the model input in KPU RAM.
    public var frameBytes: Int, inputBytes: Int, kpuInputBytes: Int

    /// Creates the work of a frame.
    public init(
      preprocessMs: Double, uploadCPUMs: Double, uploadDMAMs: Double, modelMs: Double, kpuMs: Double,
      postprocessMs: Double, frameBytes: Int, inputBytes: Int, kpuInputBytes: Int
    ) {
      self.kpuMs = kpuMs
      (self.preprocessMs, self.uploadCPUMs, self.uploadDMAMs) = (preprocessMs, uploadCPUMs, uploadDMAMs)
      (self.modelMs, self.postprocessMs) = (modelMs, postprocessMs)
      (self.frameBytes, self.inputBytes, self.kpuInputBytes) = (frameBytes, inputBytes, kpuInputBytes)
    }
  }

  /// One task of one frame on one processor, for the Gantt chart.
  public struct Span: Codable, Equatable, Sendable {
    /// `camera`, `core 0`, `core 1`, `KPU` or `DMA`.
    public var resource: String
    /// `capture`, `preprocess`, `upload`, `model`, `postprocess`.
    public var task: String
    public var frame: Int
    public var start: Double, end: Double
  }

  /// The steady state of one scenario.
  public struct Result: Codable, Equatable, Sendable {
    public var scenario: K210Scenario
    /// Mean time between two results, and its inverse.
    public var periodMs: Double, fps: Double
    /// Mean and largest time from the start of a frame's capture to its result.
    public var latencyMs: Double, maxLatencyMs: Double
    /// Busy fraction of each processor over the measured window.
    public var utilisation: [String: Double]
    /// Share of the camera's frames that never reach a result (1 − fps / camera fps).
    public var droppedShare: Double
    /// Main memory of the camera frame and input buffers, and KPU RAM of the input regions.
    public var bufferBytes: Int, kpuInputBytes: Int
    /// Task spans over a few periods of the steady state, starting at 0.
    public var spans: [Span]
  }

  /// The work of one frame.
  public var work: Work
  /// The camera's frame rate.
  public var cameraFPS: Double

  /// A pipeline of `work` behind a `cameraFPS` camera.
  public init(work: Work, cameraFPS: Double = 30) { (self.work, self.cameraFPS) = (work, cameraFPS) }

  /// Every scenario, in the order of the story.
  public func results() -> [Result] { K210Scenario.allCases.map(run) }

  /// The steady state of `scenario`: `warmup` results are skipped, then `measured` are
  /// averaged.
  public func run(_ scenario: K210Scenario) -> Result {
    run(scenario, warmup: 6, measured: 24)
  }

  func run(_ scenario: K210Scenario, warmup: Int, measured: Int) -> Result {
    var sim = K210PipelineSimulation(work: work, period: 1000 / cameraFPS, scenario: scenario)
    sim.run(results: warmup + measured)
    let done = sim.finished.sorted { $0.resultTime < $1.resultTime }
    let window = Array(done.dropFirst(warmup))
    guard let first = window.first, let last = window.last, window.count > 1 else {
      return Result(
        scenario: scenario, periodMs: .infinity, fps: 0, latencyMs: .infinity, maxLatencyMs: .infinity,
        utilisation: [:], droppedShare: 0, bufferBytes: 0, kpuInputBytes: 0, spans: [])
    }
    let span = last.resultTime - first.resultTime
    let period = span / Double(window.count - 1)
    let latencies = window.map { $0.resultTime - $0.captureStart }
    var busy: [String: Double] = [:]
    for s in sim.spans where s.end > first.resultTime && s.start < last.resultTime && s.task != "camera wait" {
      busy[s.resource, default: 0] += min(s.end, last.resultTime) - max(s.start, first.resultTime)
    }
    // the model holds the KPU for its whole run; the KPU computes only during its layers
    busy["KPU"] = work.modelMs > 0 ? (busy["KPU"] ?? 0) * work.kpuMs / work.modelMs : 0
    let buffers = scenario.buffers
    // the Gantt window: three periods (at least one camera period) from the first measured result
    let from = first.resultTime
    let to = from + max(3 * period, 3 * 1000 / cameraFPS)
    let shown = sim.spans.filter { $0.end > from && $0.start < to }.map {
      Span(
        resource: $0.resource, task: $0.task, frame: $0.frame, start: max($0.start, from) - from,
        end: min($0.end, to) - from)
    }
    return Result(
      scenario: scenario, periodMs: period, fps: 1000 / period,
      latencyMs: latencies.reduce(0, +) / Double(latencies.count),
      maxLatencyMs: latencies.max() ?? 0,
      utilisation: busy.mapValues { span > 0 ? $0 / span : 0 },
      droppedShare: max(0, 1 - (1000 / period) / cameraFPS),
      bufferBytes: buffers.camera * work.frameBytes + buffers.input * work.inputBytes,
      kpuInputBytes: buffers.kpuInput * work.kpuInputBytes, spans: shown)
  }
}
