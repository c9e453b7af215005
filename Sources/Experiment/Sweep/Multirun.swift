import Foundation
import Support

/// Hydra-style multirun: `workbench run FILE --multirun model.width=0.25,0.5 train.optimizer.lr=1e-3,3e-3`
/// is the grid sweep of FILE over those values (every combination), with FILE's `--set`
/// overrides applied to every trial. The sweep is named `<experiment>-multirun` and its
/// objectives are the experiment's KPI gates (`>=`/`>` maximised, `<=`/`<` minimised).
public enum Multirun {
  /// The grid sweep `PATH=V1,V2,…` arguments stand for. Values are read like `--set` values
  /// (JSON when valid, else a plain string); commas inside brackets or quotes do not split.
  /// - Throws: ``SpecError`` for an argument without `=` or values, or an invalid base
  ///   experiment; `FileSystemError` when FILE cannot be read.
  public static func sweep(base file: String, overrides: [String], multirun: [String]) throws -> SweepSpec {
    var space: [String: JSONValue] = [:]
    for text in multirun {
      guard let eq = text.firstIndex(of: "="), !text[..<eq].trimmingCharacters(in: .whitespaces).isEmpty else {
        throw SpecError.badOverride(text, reason: "expected PATH=VALUE,VALUE,… after --multirun")
      }
      let path = text[..<eq].trimmingCharacters(in: .whitespaces)
      let values = split(String(text[text.index(after: eq)...]))
      guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
        throw SpecError.badOverride(text, reason: "expected one or more comma-separated values")
      }
      space[path] = .array(values.map { (try? JSONValue.parse(Data($0.utf8), file: "--multirun")) ?? .string($0) })
    }
    let experiment = try ExperimentLoader.load(path: file, overrides: overrides)
    var objectives: [String: JSONValue] = [:]
    for g in experiment.settings.evaluate.parsedGates where g.op != "==" {
      objectives["\(g.variant).\(g.kpi)"] = .string(g.op.hasPrefix(">") ? "max" : "min")
    }
    let doc = JSONValue.object([
      "version": .number(1), "name": .string("\(experiment.settings.name)-multirun"),
      "description": .string("workbench run \(file) --multirun \(multirun.joined(separator: " "))"),
      "base": .string(URL(fileURLWithPath: file).standardizedFileURL.path),
      "set": .array(overrides.map(JSONValue.string)), "space": .object(space), "search": .string("grid"),
      "objectives": .object(objectives),
    ])
    // a multirun without gates has no objectives: validate with a stand-in, then drop it
    var check = doc
    if objectives.isEmpty, case .object(var o) = doc {
      o["objectives"] = .object(["float.stand_in": .string("max")])
      check = .object(o)
    }
    var spec = try SweepLoader.parse(check, file: file)
    spec.document = doc
    if objectives.isEmpty { spec.objectives = [] }
    return spec
  }

  /// `a,b,[1,2],"x,y"` → `a`, `b`, `[1,2]`, `"x,y"`.
  static func split(_ s: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var depth = 0
    var quoted = false
    for c in s {
      switch c {
      case "\"": quoted.toggle()
      case "[", "{": if !quoted { depth += 1 }
      case "]", "}": if !quoted { depth -= 1 }
      case "," where !quoted && depth == 0:
        parts.append(current)
        current = ""
        continue
      default: break
      }
      current.append(c)
    }
    parts.append(current)
    return parts.map { $0.trimmingCharacters(in: .whitespaces) }
  }
}
