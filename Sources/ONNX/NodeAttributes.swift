import Foundation

/// Reading an ONNX node's attributes with defaults, and refusing the ones the importer does not
/// understand (an ignored attribute could silently change the model).
extension Onnx_NodeProto {
  func attr(_ name: String) -> Onnx_AttributeProto? { attribute.first { $0.name == name } }

  func int(_ name: String, _ defaultValue: Int) -> Int { attr(name).map { Int($0.i) } ?? defaultValue }

  func ints(_ name: String) -> [Int]? { attr(name).map { $0.ints.map { Int($0) } } }

  func float(_ name: String, _ defaultValue: Float) -> Float { attr(name)?.f ?? defaultValue }

  func string(_ name: String, _ defaultValue: String) -> String {
    attr(name).map { String(decoding: $0.s, as: UTF8.self) } ?? defaultValue
  }

  /// Throws when the node has an attribute outside `known`.
  func checkAttributes(_ known: Set<String>) throws {
    for a in attribute where !known.contains(a.name) {
      let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
      throw ONNXImportError.unsupportedAttribute(
        node: name, op: opType, detail: "has attribute '\(a.name)', which is not supported (supported: \(list))")
    }
  }

  /// An error about this node: `detail` completes "node N: Op …".
  func unsupported(_ detail: String) -> ONNXImportError {
    ONNXImportError.unsupportedAttribute(node: name, op: opType, detail: detail)
  }

  /// Throws unless the outputs after the first are absent or read by nothing.
  func checkOnlyFirstOutputUsed(_ readers: [String: Int]) throws {
    for extra in output.dropFirst() where !extra.isEmpty && (readers[extra] ?? 0) > 0 {
      throw unsupported("output '\(extra)' is used; only the first output of \(opType) is supported")
    }
  }
}

/// Float attributes in ONNX are float32; their shortest decimal form gives back the number a
/// user wrote (1e-5, 0.1), so imported attributes equal exported ones.
enum DecimalAttribute {
  static func value(_ f: Float) -> Double { Double("\(f)") ?? Double(f) }

  /// `1 − f` computed in decimal (ONNX's BatchNorm momentum is one minus PyTorch's).
  static func complement(_ f: Float) -> Double {
    guard let d = Decimal(string: "\(f)") else { return 1 - Double(f) }
    return Double("\(1 - d)") ?? 1 - Double(f)
  }
}
