import Foundation

/// The check as the table `workbench check k210` prints.
extension K210Check {
  /// Per-layer placement, memory and verdict; KPU layer times from `timing` at `clockMHz`.
  public func renderText(timing: K210Timing = K210Timing(), clockMHz: Double = 400) -> String {
    func kib(_ b: Int) -> String { String(format: "%.1f KiB", Double(b) / 1024) }
    var lines = [
      "K210 check of \(model): \(count(on: .kpu)) KPU layers, \(count(on: .cpu)) CPU ops"
    ]
    let width = max(5, layers.map(\.name.count).max() ?? 5)
    lines.append(
      "  " + "layer".padding(toLength: width, withPad: " ", startingAt: 0) + "  on   output           ms  what")
    for l in layers {
      let shape = l.outputShape.dropFirst().map(String.init).joined(separator: "×")
      let ms = milliseconds(of: l, timing: timing, clockMHz: clockMHz).map { String(format: "%5.2f", $0) } ?? "    –"
      let name = l.name.padding(toLength: width, withPad: " ", startingAt: 0)
      let processor = l.processor.rawValue.uppercased()
      lines.append(
        "  \(name)  \(processor)  \(shape.padding(toLength: 15, withPad: " ", startingAt: 0)) \(ms)  \(l.summary)")
      for v in l.violations { lines.append("      ✗ \(v)") }
      for n in l.notes { lines.append("      · \(n)") }
    }
    let residuals = timing.residuals().map { String(format: "%+.0f%%", 100 * $0) }.joined(separator: " ")
    let fit = String(
      format: "c0 = %.3f ms, η = %.3f, B = %.0f KB/ms", timing.c0, timing.efficiency, timing.loadBytesPerMs / 1000)
    lines.append(
      String(
        format: "KPU time at %.0f MHz: %.2f ms (CPU ops not timed yet). ", clockMHz,
        kpuMilliseconds(timing: timing, clockMHz: clockMHz))
        + "Model: t = max(weights / B, c0 + MACs / (576 · f · η)), fitted on Sipeed's 3×3 128→128 table at 300 MHz: "
        + "\(fit); residuals \(residuals)")
    lines.append(
      "KPU RAM: peak \(kib(kpu.peakBytes)), highest byte used \(kib(kpu.highWater)) of \(kib(limits.kpuRAM)) (row layout, first fit)"
    )
    lines.append(
      "main memory: parameters \(kib(modelBytes)) + CPU-side tensors \(kib(activationBytes)) = \(kib(modelBytes + activationBytes)) of \(kib(limits.mainRAM - limits.reserve)) (6 MiB − \(kib(limits.reserve)) reserve)"
    )
    lines += problems.map { "✗ \($0)" }
    lines.append(fits ? "fits the K210" : "does not fit the K210")
    return lines.joined(separator: "\n") + "\n"
  }
}
