import Foundation
import Support

/// Reads and validates sweep files. Every problem is reported at once, each with its JSON path;
/// unknown keys and enum values get a did-you-mean.
public enum SweepLoader {
  /// Loads and validates `path` (the shape of the file; the trials' experiments are checked by
  /// ``SweepTrials/make(_:maxTrials:)``).
  /// - Throws: ``SpecError``, or a `FileSystemError` when the file cannot be read.
  public static func load(path: String) throws -> SweepSpec {
    let data = try FileSystem.read(path, "the sweep file")
    return try parse(JSONValue.parse(data, file: path), file: path)
  }

  /// Validates an already parsed sweep document.
  public static func parse(_ doc: JSONValue, file: String) throws -> SweepSpec {
    var shape = doc
    if case .object(var o) = doc, o["space"]?.objectValue != nil {
      o["space"] = .object([:])
      shape = .object(o)
    }
    var issues = SweepSchema.root.validate(shape)
    var space: [(path: String, dimension: SweepDimension)] = []
    if let entries = doc["space"]?.objectValue {
      if entries.isEmpty { issues.append(SpecIssue(path: "space", message: "expected at least one path to vary")) }
      for key in entries.keys.sorted() {
        if let d = SweepDimension.parse(entries[key] ?? .null, path: "space.\(key)", issues: &issues) {
          space.append((path: key, dimension: d))
        }
      }
    }
    let search = doc["search"]?.stringValue.flatMap(SweepSpec.Search.init(rawValue:)) ?? .grid
    if search == .grid {
      for (key, d) in space where d.gridValues == nil {
        issues.append(
          SpecIssue(
            path: "space.\(key)",
            message:
              "a grid needs a list of values; a continuous range needs \"search\": \"random\", \"tpe\" or \"asha\""))
      }
    } else if doc["trials"] == nil {
      issues.append(SpecIssue(path: "trials", message: "missing; \(search.rawValue) search needs the number of trials"))
    }
    let asha = ashaSettings(doc, search: search, space: space.map(\.path), issues: &issues)
    var tpe = SweepSpec.TPE()
    if let t = doc["tpe"] {
      if search != .tpe {
        issues.append(
          SpecIssue(path: "tpe", message: "applies to \"search\": \"tpe\" only; remove it or change search"))
      }
      tpe.startupTrials = t["startup_trials"]?.intValue ?? tpe.startupTrials
      tpe.gamma = t["gamma"]?.doubleValue ?? tpe.gamma
      tpe.candidates = t["candidates"]?.intValue ?? tpe.candidates
    }
    if let name = doc["name"]?.stringValue, !isFolderName(name) {
      issues.append(
        SpecIssue(
          path: "name",
          message:
            "expected letters, digits, '.', '_' or '-' (it names the folder Reports/<name>/), got \(JSONValue.string(name).brief)"
        ))
    }
    var objectives: [SweepSpec.Objective] = []
    let objectiveEntries = doc["objectives"]?.objectValue ?? [:]
    if doc["objectives"]?.objectValue != nil, objectiveEntries.isEmpty {
      issues.append(
        SpecIssue(path: "objectives", message: "expected at least one objective, e.g. \"float.map50\": \"max\""))
    }
    for (key, dir) in objectiveEntries.sorted(by: { $0.key < $1.key }) {
      guard let d = dir.stringValue.flatMap(SweepSpec.Direction.init(rawValue:)) else { continue }
      guard let metric = metricIssue(key, path: "objectives.\(key)", issues: &issues) else { continue }
      objectives.append(.init(metric: metric, direction: d))
    }
    var constraints: [Gate] = []
    for (key, cond) in (doc["constraints"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard let metric = metricIssue(key, path: "constraints.\(key)", issues: &issues) else { continue }
      guard let c = cond.stringValue, let g = Gate.parse(metric: metric, condition: c) else {
        issues.append(
          SpecIssue(
            path: "constraints.\(key)",
            message:
              "expected a condition like \"<= 2097152\" (one of >=, <=, >, <, == and a number), got \(cond.brief)"))
        continue
      }
      constraints.append(g)
    }
    if !issues.isEmpty { throw SpecError.invalid(file: file, issues: issues) }
    let baseName = doc["base"]?.stringValue ?? ""
    let base =
      baseName.hasPrefix("/")
      ? baseName
      : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(baseName).standardizedFileURL.path
    var spec = SweepSpec(
      name: doc["name"]?.stringValue ?? "", description: doc["description"]?.stringValue ?? "", base: base,
      fixed: doc["set"]?.arrayValue?.compactMap(\.stringValue) ?? [], space: space, search: search,
      trials: doc["trials"]?.intValue, seed: UInt64(doc["seed"]?.intValue ?? 0), objectives: objectives,
      constraints: constraints, document: doc, file: file)
    spec.asha = asha
    spec.tpe = tpe
    return spec
  }

  /// The `asha` section's rungs, checked against the search and the paths the sweep sets (ASHA
  /// owns `train.epochs` and `train.stop_after_epochs`).
  static func ashaSettings(_ doc: JSONValue, search: SweepSpec.Search, space: [String], issues: inout [SpecIssue])
    -> SweepSpec.Asha?
  {
    guard let a = doc["asha"] else {
      if search == .asha {
        issues.append(
          SpecIssue(
            path: "asha",
            message: "missing; ASHA search needs its rungs, e.g. {\"min_epochs\": 1, \"max_epochs\": 9, \"eta\": 3}"))
      }
      return nil
    }
    guard search == .asha else {
      issues.append(
        SpecIssue(path: "asha", message: "applies to \"search\": \"asha\" only; remove it or change search"))
      return nil
    }
    let owned = ["train.epochs", "train.stop_after_epochs"]
    for path in space where owned.contains(path) {
      issues.append(
        SpecIssue(
          path: "space.\(path)", message: "ASHA sets \(path) itself (asha.max_epochs and each rung's epochs); remove it"
        ))
    }
    for (i, text) in (doc["set"]?.arrayValue ?? []).enumerated() {
      guard let t = text.stringValue, let path = t.split(separator: "=").first else { continue }
      let p = path.trimmingCharacters(in: .whitespaces)
      if owned.contains(p) {
        issues.append(
          SpecIssue(
            path: "set[\(i)]", message: "ASHA sets \(p) itself (asha.max_epochs and each rung's epochs); remove it"))
      }
    }
    guard let r = a["min_epochs"]?.intValue, let big = a["max_epochs"]?.intValue, r >= 1 else { return nil }
    if r > big {
      issues.append(SpecIssue(path: "asha.min_epochs", message: "expected at most asha.max_epochs (\(big)), got \(r)"))
      return nil
    }
    let eta = a["eta"]?.intValue ?? 3
    return eta >= 2 ? SweepSpec.Asha(minEpochs: r, maxEpochs: big, eta: eta) : nil
  }

  /// `variant.metric` with a known variant (a bare `metric` means `float.metric`), or nil with
  /// the problem recorded.
  static func metricIssue(_ key: String, path: String, issues: inout [SpecIssue]) -> String? {
    let g = Gate(metric: key, op: ">=", threshold: 0)
    let variants = MetricBlocks.known
    guard variants.contains(g.variant), !g.kpi.isEmpty else {
      let hint = Suggestion.closest(to: g.variant, in: variants).map { "; did you mean `\($0).\(g.kpi)`?" } ?? ""
      issues.append(
        SpecIssue(
          path: path,
          message: "expected variant.metric with a variant of \(variants.joined(separator: ", "))\(hint)"))
      return nil
    }
    return "\(g.variant).\(g.kpi)"
  }

  static func isFolderName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix(".")
      && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
  }
}
