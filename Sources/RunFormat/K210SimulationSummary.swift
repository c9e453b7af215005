/// `stages/simulate-k210/k210-simulation.json`: the deployed model's time on the K210 (per
/// layer, KPU and CPU), its frame pipeline in each scenario and the cost model behind them —
/// what the report's K210 timing part and Gantt charts read.
public struct K210SimulationSummary: Codable, Equatable, Sendable {
  /// One layer's time.
  public struct Step: Codable, Equatable, Sendable {
    public var name: String, processor: String
    public var kpuMs: Double, cpuMs: Double
    /// What its CPU time is made of.
    public var cpuWork: [String]

    public init(name: String, processor: String, kpuMs: Double, cpuMs: Double, cpuWork: [String]) {
      (self.name, self.processor, self.kpuMs, self.cpuMs, self.cpuWork) = (name, processor, kpuMs, cpuMs, cpuWork)
    }
  }

  /// One task on one processor (Gantt bar), in ms from the start of the shown window.
  public struct Span: Codable, Equatable, Sendable {
    public var resource: String, task: String
    public var frame: Int
    public var start: Double, end: Double

    public init(resource: String, task: String, frame: Int, start: Double, end: Double) {
      (self.resource, self.task, self.frame, self.start, self.end) = (resource, task, frame, start, end)
    }
  }

  /// The steady state of one pipeline scenario.
  public struct Scenario: Codable, Equatable, Sendable {
    public var scenario: String, summary: String
    public var periodMs: Double, fps: Double, latencyMs: Double, maxLatencyMs: Double
    public var utilisation: [String: Double]
    public var droppedShare: Double
    /// Main memory of frame and input buffers; KPU RAM of input regions.
    public var bufferBytes: Int, kpuInputBytes: Int
    public var spans: [Span]

    public init(
      scenario: String, summary: String, periodMs: Double, fps: Double, latencyMs: Double, maxLatencyMs: Double,
      utilisation: [String: Double], droppedShare: Double, bufferBytes: Int, kpuInputBytes: Int, spans: [Span]
    ) {
      (self.scenario, self.summary, self.periodMs, self.fps) = (scenario, summary, periodMs, fps)
      (self.latencyMs, self.maxLatencyMs, self.utilisation) = (latencyMs, maxLatencyMs, utilisation)
      (self.droppedShare, self.bufferBytes, self.kpuInputBytes, self.spans) = (
        droppedShare, bufferBytes, kpuInputBytes, spans
      )
    }
  }

  /// The model time with one optimisation of the seed story turned off.
  public struct Optimisation: Codable, Equatable, Sendable {
    public var name: String
    /// CPU time of the model with everything on, and with this one off.
    public var cpuMs: Double, cpuMsWithout: Double

    public init(name: String, cpuMs: Double, cpuMsWithout: Double) {
      (self.name, self.cpuMs, self.cpuMsWithout) = (name, cpuMs, cpuMsWithout)
    }
  }

  /// One row of the CPU cost table.
  public struct Cost: Codable, Equatable, Sendable {
    public var name: String, fixedMs: Double, cyclesPerUnit: Double, unit: String, source: String, measured: Bool

    public init(name: String, fixedMs: Double, cyclesPerUnit: Double, unit: String, source: String, measured: Bool) {
      (self.name, self.fixedMs, self.cyclesPerUnit, self.unit) = (name, fixedMs, cyclesPerUnit, unit)
      (self.source, self.measured) = (source, measured)
    }
  }

  /// The model's name and the clocks and camera used.
  public var model: String
  public var kpuMHz: Double, cpuMHz: Double, cameraFPS: Double
  /// The scenario whose numbers are the `k210` block's headline.
  public var headline: String
  public var steps: [Step]
  /// The per-frame work outside the model call.
  public var preprocessMs: Double, uploadCPUMs: Double, uploadDMAMs: Double, postprocessMs: Double
  public var scenarios: [Scenario]
  public var optimisations: [Optimisation]
  /// The KPU timing model in one sentence, with its fit and residuals.
  public var timingModel: String
  public var cpuCosts: [Cost]
  /// The exported kmodel's size, when one was exported.
  public var kmodelBytes: Int?
  /// Memory: KPU RAM highest byte, main memory of the model (parameters + CPU tensors).
  public var kpuRAMBytes: Int, mainMemoryBytes: Int

  public init(
    model: String, kpuMHz: Double, cpuMHz: Double, cameraFPS: Double, headline: String, steps: [Step],
    preprocessMs: Double, uploadCPUMs: Double, uploadDMAMs: Double, postprocessMs: Double, scenarios: [Scenario],
    optimisations: [Optimisation], timingModel: String, cpuCosts: [Cost], kmodelBytes: Int?, kpuRAMBytes: Int,
    mainMemoryBytes: Int
  ) {
    (self.model, self.kpuMHz, self.cpuMHz, self.cameraFPS, self.headline) = (
      model, kpuMHz, cpuMHz, cameraFPS, headline
    )
    (self.steps, self.preprocessMs, self.uploadCPUMs, self.uploadDMAMs) = (
      steps, preprocessMs, uploadCPUMs, uploadDMAMs
    )
    (self.postprocessMs, self.scenarios, self.optimisations) = (postprocessMs, scenarios, optimisations)
    (self.timingModel, self.cpuCosts, self.kmodelBytes) = (timingModel, cpuCosts, kmodelBytes)
    (self.kpuRAMBytes, self.mainMemoryBytes) = (kpuRAMBytes, mainMemoryBytes)
  }

  /// KPU and CPU time of the model call.
  public var kpuMs: Double { steps.reduce(0) { $0 + $1.kpuMs } }
  public var cpuMs: Double { steps.reduce(0) { $0 + $1.cpuMs } }
}
