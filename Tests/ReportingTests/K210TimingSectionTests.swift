import Foundation
import RunFormat
import XCTest

@testable import Reporting

/// The K210 timing section renders the simulation of `stages/simulate-k210/k210-simulation.json`:
/// the headline pipeline, one row and one Gantt chart per scenario, per-layer times, the
/// optimisations' effect and the cost model with its sources.
final class K210TimingSectionTests: XCTestCase {
  func testSectionShowsScenariosGanttLayersAndCostModel() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "quick", runId: "r")
    let spans: [K210SimulationSummary.Span] = [
      .init(resource: "camera", task: "capture", frame: 7, start: 0, end: 33.3),
      .init(resource: "core 1", task: "model", frame: 6, start: 2, end: 14),
      .init(resource: "KPU", task: "model", frame: 6, start: 2, end: 14),
    ]
    func scenario(_ name: String, fps: Double) -> K210SimulationSummary.Scenario {
      .init(
        scenario: name, summary: "what \(name) changes", periodMs: 1000 / fps, fps: fps, latencyMs: 47.5,
        maxLatencyMs: 48, utilisation: ["core 0": 0.25, "KPU": 0.06], droppedShare: 0, bufferBytes: 55_296,
        kpuInputBytes: 0, spans: spans)
    }
    let summary = K210SimulationSummary(
      model: "tiny", kpuMHz: 400, cpuMHz: 400, cameraFPS: 30, headline: "dma-upload",
      steps: [
        .init(name: "conv1", processor: "kpu", kpuMs: 0.16, cpuMs: 0, cpuWork: []),
        .init(name: "up", processor: "cpu", kpuMs: 0, cpuMs: 0.0025, cpuWork: ["2× upsample fast path"]),
      ],
      preprocessMs: 0.28, uploadCPUMs: 0.59, uploadDMAMs: 0.04, postprocessMs: 0.1,
      scenarios: [scenario("sequential", fps: 15), scenario("dma-upload", fps: 30)],
      optimisations: [.init(name: "concat elimination", cpuMs: 1.2, cpuMsWithout: 1.5)],
      timingModel: "KPU layer time t = max(weights / B, c0 + MACs / (576 · f · η)).",
      cpuCosts: [
        .init(
          name: "dequantize", fixedMs: 0.389, cyclesPerUnit: 2.92, unit: "element", source: "nncase #77 and #95",
          measured: true)
      ], kmodelBytes: 123_456, kpuRAMBytes: 61_440, mainMemoryBytes: 1_000_000)
    let folder = run.appendingPathComponent("stages/simulate-k210")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONEncoder().encode(summary).write(to: folder.appendingPathComponent("k210-simulation.json"))

    let report = try RunReport.load(from: run)
    XCTAssertEqual(report.k210Simulation, summary)
    let html = HTMLRenderer.render(report.document())
    XCTAssertTrue(html.contains("30.0 fps, latency 47.5 ms (dma-upload: what dma-upload changes)"), html)
    // one Gantt chart per scenario, titled with its numbers
    XCTAssertTrue(html.contains("sequential: 15.0 fps, latency 47.5 ms"))
    XCTAssertTrue(html.contains("dma-upload: 30.0 fps, latency 47.5 ms"))
    XCTAssertTrue(html.contains("2× upsample fast path"))
    XCTAssertTrue(html.contains("concat elimination"))
    XCTAssertTrue(html.contains("measured: nncase #77 and #95"))
    XCTAssertTrue(html.contains("120.6 KiB"))
    let markdown = MarkdownRenderer.render(report.document())
    XCTAssertTrue(markdown.contains("## K210 timing and frame pipeline"), markdown)
  }
}
