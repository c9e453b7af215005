import Charts
import Foundation
import RunFormat

/// The K210 timing section: the deployed model's per-layer KPU and CPU time, the frame
/// pipeline in the four scenarios of the seed story with a Gantt chart each, the effect of the
/// kmodel optimisations, and the cost model behind every number.
extension RunReport {
  func k210TimingSection() -> ReportSection? {
    guard let s = k210Simulation else { return nil }
    func ms(_ v: Double) -> String { String(format: v < 1 ? "%.3f ms" : "%.1f ms", v) }
    func share(_ v: Double?) -> String { v.map { String(format: "%.0f %%", 100 * $0) } ?? "–" }
    var facts: [(String, Inline)] = [
      ("Model call", .text("\(ms(s.kpuMs + s.cpuMs)): KPU \(ms(s.kpuMs)), CPU \(ms(s.cpuMs)) (\(s.model))")),
      (
        "Clocks", .text(String(format: "KPU %.0f MHz, CPU %.0f MHz, camera %.0f fps", s.kpuMHz, s.cpuMHz, s.cameraFPS))
      ),
    ]
    if let h = s.scenarios.first(where: { $0.scenario == s.headline }) {
      facts.insert(
        (
          "Frame pipeline",
          .text(
            String(format: "%.1f fps, latency %.1f ms", h.fps, h.latencyMs) + " (\(h.scenario): \(h.summary))")
        ), at: 0)
    }
    if let b = s.kmodelBytes { facts.append(("kmodel", .text(Format.bytes(b)))) }
    var blocks: [Block] = [.table(.keyValues(facts))]
    let resources = ["camera", "core 0", "core 1", "KPU", "DMA"]
    blocks.append(
      .table(
        ReportTable(
          headers: ["scenario", "what changes", "frame", "fps", "latency", "core 0", "core 1", "KPU", "buffers"],
          rows: s.scenarios.map { r in
            [
              .code(r.scenario), .text(r.summary), .text(ms(r.periodMs)), .text(String(format: "%.1f", r.fps)),
              .text(ms(r.latencyMs)), .text(share(r.utilisation["core 0"])), .text(share(r.utilisation["core 1"])),
              .text(share(r.utilisation["KPU"])),
              .text(
                Format.bytes(r.bufferBytes) + (r.kpuInputBytes > 0 ? " + \(Format.bytes(r.kpuInputBytes)) KPU RAM" : "")
              ),
            ]
          })))
    let tasks = ["capture", "camera wait", "preprocess", "upload", "model", "postprocess"]
    for r in s.scenarios {
      let rows = resources.filter { name in r.spans.contains { $0.resource == name } }
      let bars = r.spans.compactMap { span -> Gantt.Bar? in
        guard let row = rows.firstIndex(of: span.resource), let c = tasks.firstIndex(of: span.task) else { return nil }
        return Gantt.Bar(row: row, category: c, start: span.start, end: span.end, label: "\(span.frame)")
      }
      let chart = Chart(
        title: String(format: "%@: %.1f fps, latency %.1f ms", r.scenario, r.fps, r.latencyMs), width: 760,
        height: 90 + 34 * Double(rows.count), xAxis: Axis(label: "ms (bars labelled with the frame number)"),
        content: .gantt(Gantt(rows: rows, categories: tasks, bars: bars)))
      blocks.append(.figure(Figure(id: "k210-gantt-\(r.scenario)", chart: chart)))
    }
    blocks.append(
      .table(
        ReportTable(
          headers: ["layer", "on", "KPU", "CPU", "CPU work"],
          rows: s.steps.map { l in
            [
              .code(l.name), .text(l.processor.uppercased()), .text(l.kpuMs > 0 ? ms(l.kpuMs) : "–"),
              .text(l.cpuMs > 0 ? ms(l.cpuMs) : "–"), .text(l.cpuWork.joined(separator: "; ")),
            ]
          })))
    if !s.optimisations.isEmpty {
      blocks.append(
        .table(
          ReportTable(
            headers: ["optimisation (seed story)", "model CPU time", "turned off", "saves"],
            rows: s.optimisations.map { o in
              [.text(o.name), .text(ms(o.cpuMs)), .text(ms(o.cpuMsWithout)), .text(ms(o.cpuMsWithout - o.cpuMs))]
            })))
    }
    blocks.append(.paragraph([.text("How these numbers are made: " + s.timingModel)]))
    blocks.append(
      .table(
        ReportTable(
          headers: ["CPU work", "fixed", "cycles", "per", "source"],
          rows: s.cpuCosts.map { c in
            [
              .text(c.name), .text(c.fixedMs > 0 ? ms(c.fixedMs) : "–"), .text(String(format: "%.2f", c.cyclesPerUnit)),
              .text(c.unit), .text((c.measured ? "measured: " : "") + c.source),
            ]
          })))
    return ReportSection(id: "k210-timing", title: "K210 timing and frame pipeline", blocks: blocks)
  }
}
