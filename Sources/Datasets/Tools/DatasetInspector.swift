/// A human-readable summary of a dataset file: kind, splits, counts, class histogram, image
/// size and content hash (`workbench data inspect FILE`).
public enum DatasetInspector {
  /// The summary text, one fact per line.
  /// - Parameter verify: also recompute the content hash and report whether it matches.
  public static func summary(of path: String, verify: Bool = false) throws -> String {
    let file = try DatasetFile(path: path)
    var lines = [
      "file: \(path)",
      "kind: \(file.kind.rawValue)  schema: v\(file.schemaVersion)",
      "source: \(file.source)",
      "content_hash: \(file.contentHash)",
    ]
    if verify {
      let actual = try file.computeContentHash()
      lines.append(actual == file.contentHash ? "hash check: ok" : "hash check: MISMATCH (recomputed \(actual))")
    }
    if !file.classNames.isEmpty {
      lines.append("classes (\(file.classNames.count)): \(file.classNames.joined(separator: ", "))")
    }
    for name in file.splitNames {
      let split = try file.split(name)
      lines.append("[\(name)] images: \(split.count)  size: \(split.width)x\(split.height)x\(split.channels) (WxHxC)")
      switch file.kind {
      case .classification:
        lines.append("  labels: " + histogram(try split.labels(), names: file.classNames))
      case .detection:
        let boxes = try split.boxes()
        let empty = boxes.filter(\.isEmpty).count
        lines.append("  boxes: \(boxes.map(\.count).reduce(0, +))  empty images: \(empty)")
        lines.append("  per class: " + histogram(boxes.flatMap { $0.map(\.classIndex) }, names: file.classNames))
      case .identity:
        let identities = try split.identities()
        let perIdentity = Dictionary(grouping: identities, by: { $0 }).mapValues(\.count).values
        lines.append(
          "  identities: \(Set(identities).count)  images per identity: \(perIdentity.min() ?? 0)...\(perIdentity.max() ?? 0)"
        )
        let pairs = try split.pairs()
        if !pairs.isEmpty {
          let folds = Set(pairs.map(\.fold)).count
          lines.append("  pairs: \(pairs.count) (\(pairs.filter(\.isMatch).count) matched) in \(folds) folds")
        }
      }
    }
    return lines.joined(separator: "\n")
  }

  private static func histogram(_ values: [Int], names: [String]) -> String {
    let counts = Dictionary(grouping: values, by: { $0 }).mapValues(\.count)
    return counts.keys.sorted().map { key in
      "\(key < names.count ? names[key] : "#\(key)")=\(counts[key] ?? 0)"
    }.joined(separator: " ")
  }
}
