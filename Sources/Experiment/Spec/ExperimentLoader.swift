import Foundation
import Support

/// Reads, overrides, validates and resolves experiment files.
public enum ExperimentLoader {
  /// Loads `path`, applies `overrides`, and validates. Every problem is reported at once.
  /// - Throws: ``SpecError``, or a `FileSystemError` when the file cannot be read.
  public static func load(path: String, overrides: [String] = []) throws -> ResolvedExperiment {
    let data = try FileSystem.read(path, "the experiment file")
    return try resolve(JSONValue.parse(data, file: path), file: path, overrides: overrides)
  }

  /// Validates and resolves an already parsed document.
  public static func resolve(_ raw: JSONValue, file: String, overrides: [String] = []) throws -> ResolvedExperiment {
    let doc = untrainedImport(flattenGates(try Overrides.apply(overrides, to: raw)))
    var issues = ExperimentSchema.root.validate(doc)
    issues += semanticIssues(doc)
    if !issues.isEmpty { throw SpecError.invalid(file: file, issues: issues) }
    guard let resolved = ExperimentSchema.root.resolve(doc) else {
      throw SpecError.invalid(file: file, issues: [SpecIssue(path: "", message: "expected an object")])
    }
    do {
      let typed = ExperimentSchema.root.camelCased(resolved)
      var settings = try JSONDecoder().decode(ExperimentSettings.self, from: Data(typed.canonical.utf8))
      settings.model.zoo = resolvePath(settings.model.zoo, relativeTo: file)
      if settings.data.source == .file { settings.data.path = resolvePath(settings.data.path, relativeTo: file) }
      settings.model.onnx = settings.model.onnx.map { resolvePath($0, relativeTo: file) }
      let fileIssues = settings.model.importIssues(experimentFile: file)
      if !fileIssues.isEmpty { throw SpecError.invalid(file: file, issues: fileIssues) }
      let document = settings.model.onnx == nil ? resolved : ModelSettings.withoutZooKeys(resolved)
      return ResolvedExperiment(document: document, settings: settings, overrides: overrides, sourceFile: file)
    } catch let error as SpecError {
      throw error
    } catch {
      throw SpecError.invalid(
        file: file, issues: [SpecIssue(path: "", message: "internal: resolved experiment does not decode (\(error))")])
    }
  }

  /// A relative file path in an experiment is read relative to the experiment file when a file
  /// exists there (so `experiments/yolo.json` works from any directory), else as given.
  static func resolvePath(_ path: String, relativeTo file: String) -> String {
    guard path.hasSuffix(".json") || path.hasSuffix(".h5") || path.hasSuffix(".onnx"), !path.hasPrefix("/") else {
      return path
    }
    let candidate = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path)
      .standardizedFileURL.path
    return FileManager.default.fileExists(atPath: candidate) ? candidate : path
  }

  /// An imported model without a `train` section is used as imported: its section becomes
  /// `{"epochs": 0}`, so the resolved experiment says so and the train stage passes the
  /// imported weights through.
  static func untrainedImport(_ doc: JSONValue) -> JSONValue {
    guard case .object(var root) = doc, root["model"]?["onnx"] != nil, root["train"] == nil else { return doc }
    root["train"] = .object(["epochs": .number(0)])
    return .object(root)
  }

  /// Gates may name a variant as a nested object (`{"quantized": {"map50": ">= 0.85"}}`, which is
  /// also what `--set evaluate.gates.quantized.map50=...` builds) or as a dotted key
  /// (`"quantized.map50"`); both become the dotted key.
  static func flattenGates(_ doc: JSONValue) -> JSONValue {
    guard case .object(var root) = doc, case .object(var evaluate)? = root["evaluate"],
      case .object(let gates)? = evaluate["gates"]
    else { return doc }
    var flat: [String: JSONValue] = [:]
    for (key, value) in gates {
      if case .object(let inner) = value {
        for (metric, condition) in inner { flat["\(key).\(metric)"] = condition }
      } else {
        flat[key] = value
      }
    }
    evaluate["gates"] = .object(flat)
    root["evaluate"] = .object(evaluate)
    return .object(root)
  }

  /// Checks that need more than one field or a pattern.
  static func semanticIssues(_ doc: JSONValue) -> [SpecIssue] {
    var out: [SpecIssue] = []
    if let name = doc["name"]?.stringValue {
      let ok =
        !name.isEmpty
        && name.unicodeScalars.allSatisfy {
          CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
        }
      if !ok || name.hasPrefix(".") {
        out.append(
          SpecIssue(
            path: "name",
            message:
              "expected letters, digits, '.', '_' or '-' (it names the folder Reports/<name>/), got \(JSONValue.string(name).brief)"
          ))
      }
    }
    if doc["data"]?["source"]?.stringValue == "file", (doc["data"]?["path"]?.stringValue ?? "").isEmpty {
      out.append(
        SpecIssue(path: "data.path", message: "missing; source \"file\" needs the path of a Workbench dataset file"))
    }
    out += ModelSettings.semanticIssues(doc)
    if let gates = doc["evaluate"]?["gates"]?.objectValue {
      let produced = MetricBlocks.produced(by: doc)
      for (metric, cond) in gates.sorted(by: { $0.key < $1.key }) {
        guard let c = cond.stringValue, let gate = Gate.parse(metric: metric, condition: c) else {
          out.append(
            SpecIssue(
              path: "evaluate.gates.\(metric)",
              message: "expected a condition like \">= 0.6\" (one of >=, <=, >, <, == and a number), got \(cond.brief)")
          )
          continue
        }
        if !produced.contains(gate.variant) {
          let hint =
            Suggestion.closest(to: gate.variant, in: produced).map { "; did you mean `\($0).\(gate.kpi)`?" } ?? ""
          out.append(
            SpecIssue(
              path: "evaluate.gates.\(metric)",
              message:
                "this experiment produces no `\(gate.variant)` model variant (its metrics.json has: \(produced.joined(separator: ", ")))\(hint)"
            ))
        }
      }
    }
    return out
  }
}
