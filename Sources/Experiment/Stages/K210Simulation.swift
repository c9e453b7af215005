import Foundation
import Graph
import K210
import RunFormat
import Support

/// What the `simulate-k210` stage computes from a K210 check: per-layer times, the frame
/// pipeline in every scenario, each optimisation's effect, and the `k210` metrics block.
enum K210Simulation {
  /// The summary of `check` (of `graph`) with the experiment's K210 settings.
  static func summary(
    _ check: K210Check, graph: ModelGraph, settings k: K210Settings, options: K210FrameWork.Options = .init(),
    kmodelBytes: Int?
  ) -> K210SimulationSummary {
    let timing = K210Timing()
    let cost = K210CPUCost()
    func work(_ o: K210FrameWork.Options) -> K210FrameWork {
      K210FrameWork(check, graph: graph, timing: timing, cost: cost, kpuMHz: k.clockMhz, cpuMHz: k.cpuMhz, options: o)
    }
    let frame = work(options)
    let pipeline = K210Pipeline(work: .init(frame, cost: cost, cpuMHz: k.cpuMhz), cameraFPS: k.cameraFps)
    let scenarios = pipeline.results().map { r in
      K210SimulationSummary.Scenario(
        scenario: r.scenario.rawValue, summary: r.scenario.summary, periodMs: r.periodMs, fps: r.fps,
        latencyMs: r.latencyMs, maxLatencyMs: r.maxLatencyMs, utilisation: r.utilisation, droppedShare: r.droppedShare,
        bufferBytes: r.bufferBytes, kpuInputBytes: r.kpuInputBytes,
        spans: r.spans.map {
          .init(resource: $0.resource, task: $0.task, frame: $0.frame, start: $0.start, end: $0.end)
        }
      )
    }
    var off: [(String, K210FrameWork.Options)] = []
    var o = options
    if o.upsampleFastPath { o.upsampleFastPath = false; off.append(("2× nearest-upsample fast path", o)); o = options }
    if o.concatElimination { o.concatElimination = false; off.append(("concat elimination", o)); o = options }
    if o.cancelRequantize { o.cancelRequantize = false; off.append(("dequantize→quantize cancelling", o)) }
    let residuals = timing.residuals().map { String(format: "%+.0f%%", 100 * $0) }.joined(separator: " ")
    let model = String(
      format:
        "KPU layer time t = max(weights / B, c0 + MACs / (576 · f · η)), fitted by least squares on Sipeed's 3×3 128→128 conv table at 300 MHz (bbs.sipeed.com topic 691): c0 = %.3f ms, η = %.3f, B = %.0f KB/ms, scaled to %.0f MHz; residuals %@. CPU work: the cost table below at %.0f MHz. Frame pipeline: a discrete-event simulation of camera, cores, KPU and DMA.",
      timing.c0, timing.efficiency, timing.loadBytesPerMs / 1000, k.clockMhz, residuals, k.cpuMhz)
    return K210SimulationSummary(
      model: check.model, kpuMHz: k.clockMhz, cpuMHz: k.cpuMhz, cameraFPS: k.cameraFps, headline: k.pipeline.rawValue,
      steps: frame.steps.map {
        .init(name: $0.name, processor: $0.processor, kpuMs: $0.kpuMs, cpuMs: $0.cpuMs, cpuWork: $0.cpuWork)
      },
      preprocessMs: pipeline.work.preprocessMs, uploadCPUMs: pipeline.work.uploadCPUMs,
      uploadDMAMs: pipeline.work.uploadDMAMs, postprocessMs: pipeline.work.postprocessMs, scenarios: scenarios,
      optimisations: off.map { .init(name: $0.0, cpuMs: frame.cpuMs, cpuMsWithout: work($0.1).cpuMs) },
      timingModel: model,
      cpuCosts: cost.entries.map {
        .init(
          name: $0.name, fixedMs: $0.entry.fixedMs, cyclesPerUnit: $0.entry.cyclesPerUnit, unit: $0.entry.unit,
          source: $0.entry.source, measured: $0.entry.measured)
      },
      kmodelBytes: kmodelBytes, kpuRAMBytes: check.kpu.highWater,
      mainMemoryBytes: check.modelBytes + check.activationBytes)
  }

  /// The `k210` block of `metrics.json`: the check's memory, the simulated time and pipeline of
  /// the headline scenario, the kmodel's size and the KPIs the simulator scored on it.
  static func metrics(
    _ s: K210SimulationSummary, check: K210Check, kpis: [String: JSONValue], kpiDefinitions: [String: JSONValue]
  ) -> JSONValue {
    let headline = s.scenarios.first { $0.scenario == s.headline }
    var values = kpis
    var definitions = kpiDefinitions
    func put(_ key: String, _ value: Double, _ definition: String) {
      values[key] = .number(value)
      definitions[key] = .string(definition)
    }
    put(
      "kpu_ram_bytes", Double(check.kpu.highWater),
      "highest byte of the 2 MiB KPU RAM used by the feature maps (row layout, first fit, as nncase 1.9)")
    put("kpu_ram_peak_bytes", Double(check.kpu.peakBytes), "most KPU RAM bytes resident at once")
    put(
      "main_memory_bytes", Double(check.modelBytes + check.activationBytes),
      "main memory for the parameters (uint8 KPU weights, BN words, activation tables; float32 CPU ops) and the CPU-side tensors"
    )
    put("parameter_bytes", Double(check.modelBytes), "main memory for the parameters")
    put("kpu_layers", Double(check.count(on: .kpu)), "layers on the KPU (nncase 1.9 rules)")
    put("cpu_ops", Double(check.count(on: .cpu)), "ops on the CPU")
    put("fallbacks", Double(check.fallbacks.count), "convolutions that break a KPU rule and run in float32 on the CPU")
    put("kpu_ms", s.kpuMs, "simulated KPU time of one image (timing model in k210-simulation.json)")
    put("cpu_ms", s.cpuMs, "simulated CPU time of the model call: CPU ops, quantize/dequantize, uploads and downloads")
    put("model_ms", s.kpuMs + s.cpuMs, "simulated time of one model call (KPU + CPU; the runtime waits for the KPU)")
    if let h = headline {
      put("fps", h.fps, "results per second of the \(h.scenario) frame pipeline (\(h.summary)), steady state")
      put(
        "latency_ms", h.latencyMs,
        "mean time from the start of a frame's capture to its result in the \(h.scenario) pipeline")
      put("frame_ms", h.periodMs, "mean time between two results in the \(h.scenario) pipeline")
      put("buffer_bytes", Double(h.bufferBytes), "main memory of the camera frame and input buffers of the pipeline")
    }
    if let b = s.kmodelBytes { put("kmodel_bytes", Double(b), "size of the exported kmodel file") }
    return .object(["k210": .object(values), "definitions": .object(definitions)])
  }
}
