/// Provenance: versions, seed, hashes, per-stage wall time and cache hits, overrides and the
/// resolved experiment.
extension RunReport {
  func provenanceSection() -> ReportSection? {
    var blocks: [Block] = []
    var facts: [(String, Inline)] = [
      ("Workbench", .code(manifest.workbenchVersion ?? "–")),
      ("BLAS", .text(manifest.blas ?? "–")),
      ("Host", .text(manifest.host ?? "–")),
      ("Seed", .code(seed.map(String.init) ?? "–")),
    ]
    for name in manifest.toolVersions.keys.sorted() where name != "workbench" {
      facts.append(("Version of \(name)", .code(manifest.toolVersions[name] ?? "")))
    }
    if let hash = data?.contentHash { facts.append(("Data content hash", .code(hash))) }
    let total = manifest.stages.compactMap(\.wallSeconds).reduce(0, +)
    if !manifest.stages.isEmpty {
      let hits = manifest.stages.filter(\.cacheHit).count
      facts.append(
        ("Stages", .text("\(manifest.stages.count) (\(hits) from cache), \(Format.seconds(total)) wall time")))
    }
    blocks.append(.table(.keyValues(facts)))
    if !manifest.stages.isEmpty {
      func hashes(_ map: [String: String]) -> Inline {
        guard !map.isEmpty else { return .text("–") }
        return .code(map.keys.sorted().map { "\($0) \(Format.shortHash(map[$0]))" }.joined(separator: ", "))
      }
      let rows: [[Inline]] = manifest.stages.map { s in
        [
          .strong(s.name), s.cacheHit ? .badge("hit", ok: true) : .text("ran"), .text(Format.seconds(s.wallSeconds)),
          .code(Format.shortHash(s.key)), hashes(s.inputs), hashes(s.outputs),
        ]
      }
      blocks.append(
        .table(
          ReportTable(
            headers: ["stage", "cache", "wall time", "key", "inputs", "outputs"], rows: rows, numericColumns: [2],
            sortable: true)))
    }
    blocks.append(
      .paragraph(
        [.strong("Overrides:"), .text(" ")]
          + (overrides.isEmpty ? [.text("none")] : overrides.flatMap { [.code($0), .text(" ")] })))
    blocks.append(
      .collapsible(summary: "Resolved experiment (experiment.json)", [.code(experiment.pretty(), language: "json")]))
    return ReportSection(id: "provenance", title: "Provenance", blocks: blocks)
  }
}
