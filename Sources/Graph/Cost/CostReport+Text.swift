import Foundation

/// The plain-text table `workbench inspect model` prints.
extension CostReport {
  /// Renders the per-layer table and the totals as aligned text.
  public func renderText() -> String {
    let header = ["node", "op", "output", "params", "MACs", "act. bytes"]
    var rows = layers.map { l in
      [
        l.node, l.op.rawValue, l.outputShape.dropFirst().map(String.init).joined(separator: "×"),
        Self.grouped(l.parameters), Self.grouped(l.macs), Self.grouped(l.activationBytes),
      ]
    }
    rows.append([
      "total", "", "", Self.grouped(totalParameters), Self.grouped(totalMACs), Self.grouped(totalActivationBytes),
    ])
    let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return c < 3 ? cell + pad : pad + cell
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    var out = [
      "Model \(model): per-sample costs (MACs of conv and dense layers; float32 activations)", "", line(header),
    ]
    out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    out += rows.dropLast().map(line)
    out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    out.append(line(rows[rows.count - 1]))
    out.append("")
    out.append(
      "parameters: \(Self.grouped(totalParameters)) trainable (\(Self.mebibytes(parameterBytes())) MiB as float32), \(Self.grouped(totalBuffers)) BatchNorm statistics"
    )
    out.append("MACs: \(Self.grouped(totalMACs)) (\(String(format: "%.1f", Double(totalMACs) / 1e6)) M)")
    out.append(
      "peak activation memory (sequential schedule): \(Self.grouped(peakActivationBytes)) bytes (\(Self.mebibytes(peakActivationBytes)) MiB) at node '\(peakNode)'"
    )
    return out.joined(separator: "\n") + "\n"
  }

  static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
  }

  static func mebibytes(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1_048_576) }
}
