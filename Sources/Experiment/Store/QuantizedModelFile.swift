import Foundation
import Graph
import GraphHDF5
import Quantization

/// The quantized model artifact `model.quantized.h5`: GraphHDF5's weight file of the quantized
/// graph — `/parameters/<node>/<role>` in each parameter's own type (int8 weights and int32
/// biases for `int8`; float for what a scheme keeps in float, e.g. the `k210` scheme's graph,
/// whose KPU words are derived from the float layer and the ranges) and `/model/graph` — plus
/// `/model/quantization`, one JSON string:
///
///     {"table": {"version": 1, "scheme": "int8", "tensors": {"<name>": {"elementType": …,
///       "scales": […], "zeroPoints": […], "axis": 0, "fractionalBits": n}}},
///      "fusedActivations": {"<conv>": "<relu>"}, "ranges": {"<value>": [lo, hi]},
///      "options": {"perChannel": true, "bits": 16, "layerBits": {…}, "doublePrecision": false}}
///
/// (`axis` and `fractionalBits` are absent when not used; keys are the Swift field names, so
/// tensor names are never case-converted).
///
/// Scales and ranges are written with the shortest decimal that reads back to the same binary
/// value, so a reloaded model runs bit-identically.
public enum QuantizedModelFile {
  struct Sidecar: Codable {
    var table: QuantizationTable
    var fusedActivations: [String: String]
    var ranges: [String: ClosedRange<Float>]?
    var options: QuantizationOptions?
  }

  /// Writes `model` to `path` (atomically).
  /// - Throws: `HDF5Error` or encoding errors.
  public static func save(_ model: QuantizedModel, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let sidecar = Sidecar(
      table: model.table, fusedActivations: model.fusedActivations, ranges: model.ranges, options: model.options)
    let text = String(decoding: try encoder.encode(sidecar), as: UTF8.self)
    try WeightFile.save(model.graph, to: path, attachments: ["quantization": text])
  }

  /// Reads a model written by ``save(_:to:)``.
  /// - Throws: ``WeightFileError`` for a file that is not a quantized model, `HDF5Error` or
  ///   decoding errors for a corrupt one.
  public static func load(_ path: String) throws -> QuantizedModel {
    let (graph, _) = try WeightFile.read(path)
    guard let text = try WeightFile.attachment("quantization", in: path) else {
      throw WeightFileError.notAWeightFile(file: path, reason: "it has no /model/quantization (not a quantized model)")
    }
    let decoder = JSONDecoder()
    let sidecar = try decoder.decode(Sidecar.self, from: Data(text.utf8))
    return QuantizedModel(
      graph: graph, table: sidecar.table, fusedActivations: sidecar.fusedActivations, ranges: sidecar.ranges,
      options: sidecar.options)
  }
}
