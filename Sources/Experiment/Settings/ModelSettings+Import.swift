import Foundation
import Support

/// Checks of `model.onnx` and `model.outputs` that need more than one field, or the file.
extension ModelSettings {
  /// Keys of `model` that describe a zoo build and mean nothing for an imported file.
  static let zooKeys = ["zoo", "width", "depth", "resolution", "input_size"]

  /// Problems in the unresolved document: zoo keys next to `onnx`, `outputs` without `onnx`,
  /// `train.epochs: 0` for a zoo model (random weights), malformed anchors.
  static func semanticIssues(_ doc: JSONValue) -> [SpecIssue] {
    var out: [SpecIssue] = []
    let model = doc["model"]?.objectValue ?? [:]
    let imported = model["onnx"] != nil
    if imported {
      for key in zooKeys where model[key] != nil {
        out.append(
          SpecIssue(
            path: "model.\(key)",
            message:
              "does not apply to an imported ONNX model, whose architecture and input size come from the file; remove it"
          ))
      }
    } else if model["outputs"] != nil {
      out.append(
        SpecIssue(
          path: "model.outputs",
          message: "declares the outputs of an imported model; it needs model.onnx (zoo models name their own outputs)")
      )
    }
    if !imported, doc["train"]?["epochs"]?.intValue == 0 {
      out.append(
        SpecIssue(
          path: "train.epochs",
          message:
            "0 epochs would leave the zoo model at its random initial weights; train at least 1 epoch (0 is for model.onnx, which brings its weights)"
        ))
    }
    for (i, o) in (model["outputs"]?.arrayValue ?? []).enumerated() {
      for (j, a) in (o["anchors"]?.arrayValue ?? []).enumerated() where a.arrayValue?.count != 2 {
        out.append(
          SpecIssue(
            path: "model.outputs[\(i)].anchors[\(j)]", message: "expected [width, height], got \(a.brief)"))
      }
      if o["role"]?.stringValue == "yolo", (o["anchors"]?.arrayValue ?? []).isEmpty {
        out.append(
          SpecIssue(
            path: "model.outputs[\(i)].anchors",
            message: "a yolo output needs its anchors ([[width, height], …] in input pixels)"))
      }
    }
    return out
  }

  /// The resolved document `doc` without the zoo defaults in `model`, which an imported model
  /// does not use (so the run's `experiment.json` does not show a zoo name it never built).
  static func withoutZooKeys(_ doc: JSONValue) -> JSONValue {
    guard case .object(var root) = doc, case .object(var model)? = root["model"] else { return doc }
    for key in zooKeys { model[key] = nil }
    root["model"] = .object(model)
    return .object(root)
  }

  /// Problems with the resolved `onnx` path: it must name an existing file.
  func importIssues(experimentFile: String) -> [SpecIssue] {
    guard let onnx else { return [] }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: onnx, isDirectory: &isFolder), !isFolder.boolValue { return [] }
    let folder = URL(fileURLWithPath: experimentFile).deletingLastPathComponent().path
    return [
      SpecIssue(
        path: "model.onnx",
        message:
          "no ONNX file at \(onnx) (a relative path is read from the experiment file's folder, \(folder.isEmpty ? "." : folder), then from the working directory)"
      )
    ]
  }
}
