import Foundation

/// The check as the table `workbench check k210` prints.
extension K210Check {
  /// Per-layer placement, memory and verdict.
  public func renderText() -> String {
    func kib(_ b: Int) -> String { String(format: "%.1f KiB", Double(b) / 1024) }
    var lines = [
      "K210 check of \(model): \(layers.filter { $0.processor == .kpu }.count) KPU layers, \(layers.filter { $0.processor == .cpu }.count) CPU ops"
    ]
    let width = max(5, layers.map(\.name.count).max() ?? 5)
    lines.append("  " + "layer".padding(toLength: width, withPad: " ", startingAt: 0) + "  on   output          what")
    for l in layers {
      let shape = l.outputShape.dropFirst().map(String.init).joined(separator: "×")
      lines.append(
        "  " + l.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + l.processor.rawValue.uppercased()
          + "  "
          + shape.padding(toLength: 15, withPad: " ", startingAt: 0) + " " + l.summary)
      for v in l.violations { lines.append("      ✗ \(v)") }
      for n in l.notes { lines.append("      · \(n)") }
    }
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
