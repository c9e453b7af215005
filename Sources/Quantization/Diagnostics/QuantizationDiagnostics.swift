import Foundation
import Graph
import Tensors

/// Per-tensor error of the integer executor against float, accumulated over the calibration
/// set: for every quantized value, the float graph's value x and the integer executor's
/// dequantized value y (each executor fed its own outputs, so errors accumulate as on the
/// device).
public struct TensorDiagnostics: Codable, Equatable, Sendable {
  /// The value's name.
  public var tensor: String
  /// Its scale.
  public var scale: Double
  /// Its zero point.
  public var zeroPoint: Int
  /// Elements compared.
  public var count: Int
  /// Signal-to-quantization-noise ratio, 10·log₁₀(Σx² / Σ(x − y)²) in dB; nil when the values
  /// agree exactly (infinite SQNR) or the float signal is all zero (undefined).
  public var sqnr: Double?
  /// Σxy / √(Σx²·Σy²) (1 when both are all zero).
  public var cosine: Double
  /// max |x − y|.
  public var maxAbsError: Double
}

/// The diagnostics of one quantized model, in graph order (written to `quantization.json`).
public struct QuantizationReport: Codable, Equatable, Sendable {
  /// The scheme.
  public var scheme: QuantizationScheme
  /// One entry per quantized value.
  public var tensors: [TensorDiagnostics]

  /// The entry of `tensor`.
  public subscript(tensor: String) -> TensorDiagnostics? { tensors.first { $0.tensor == tensor } }

  /// The `count` entries with the lowest SQNR (worst first).
  public func worst(_ count: Int) -> [TensorDiagnostics] {
    Array(tensors.sorted { ($0.sqnr ?? .infinity) < ($1.sqnr ?? .infinity) }.prefix(count))
  }
}

/// Measures ``TensorDiagnostics`` for every quantized value.
public enum QuantizationDiagnostics {
  struct Sums {
    var xx = 0.0, yy = 0.0, xy = 0.0, ee = 0.0, maxError = 0.0, count = 0
    mutating func add(_ x: [Float], _ y: [Float]) {
      for (a, b) in zip(x, y) {
        let (u, v) = (Double(a), Double(b))
        xx += u * u
        yy += v * v
        xy += u * v
        ee += (u - v) * (u - v)
        maxError = max(maxError, abs(u - v))
      }
      count += x.count
    }
  }

  /// Runs `floatGraph` (the graph that was quantized) and the scheme's executor of `model`
  /// (``SchemeQuantization/executor(for:)``) on each batch and compares every value that has a
  /// format in the model's side table.
  /// - Throws: ``QuantizationError`` when a graph cannot be run.
  public static func measure(
    floatGraph: ModelGraph, model: QuantizedModel, batches: [[String: Tensor<Float>]]
  ) throws -> QuantizationReport {
    let executor = try SchemeQuantization.executor(for: model)
    var sums: [String: Sums] = [:]
    for batch in batches {
      let reference = try ValueTrace.run(floatGraph, inputs: batch)
      _ = try executor.run(inputs: batch) { name, y in
        guard model.table[name] != nil, let x = reference[name] else { return }
        sums[name, default: Sums()].add(x.scalars, y.scalars)
      }
    }
    let order = model.graph.values.map(\.name)
    let tensors = order.compactMap { name -> TensorDiagnostics? in
      guard let s = sums[name], let q = model.table[name] else { return nil }
      let sqnr: Double? = s.ee > 0 && s.xx > 0 ? 10 * log10(s.xx / s.ee) : nil
      let cosine = s.xx > 0 && s.yy > 0 ? s.xy / (s.xx * s.yy).squareRoot() : (s.xx == s.yy ? 1 : 0)
      return TensorDiagnostics(
        tensor: name, scale: q.scale, zeroPoint: q.zeroPoint, count: s.count, sqnr: sqnr, cosine: cosine,
        maxAbsError: s.maxError)
    }
    return QuantizationReport(scheme: model.table.scheme, tensors: tensors)
  }
}
