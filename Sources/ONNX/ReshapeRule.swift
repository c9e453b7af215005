import Foundation

/// ONNX's Reshape target rule: `0` copies the input extent (unless `allowzero`), one `-1` is
/// inferred.
enum ReshapeRule {
  static func outputShape(_ node: Onnx_NodeProto, input: [Int], target: [Int]) throws -> [Int] {
    let allowZero = node.int("allowzero", 0) != 0
    var out = target.enumerated().map { i, v in v == 0 && !allowZero && i < input.count ? input[i] : v }
    let count = input.reduce(1, *)
    let holes = out.indices.filter { out[$0] == -1 }
    let known = out.filter { $0 != -1 }.reduce(1, *)
    guard holes.count <= 1, out.allSatisfy({ $0 >= -1 }) else {
      throw node.unsupported("has target shape \(target), which has more than one -1 or a negative extent")
    }
    if let hole = holes.first {
      guard known > 0, count % known == 0 else {
        throw node.unsupported("cannot reshape \(input) (\(count) elements) to \(target)")
      }
      out[hole] = count / known
    }
    guard out.reduce(1, *) == count else {
      throw node.unsupported("cannot reshape \(input) (\(count) elements) to \(target)")
    }
    return out
  }
}
