import Graph
import Tensors

/// Collects ``TensorStatistics`` for every value of a float graph by running the reference
/// evaluation (``ValueTrace``) over calibration batches, and turns them into ranges.
///
/// The batches are given by the caller (a seeded, fixed number of training images in the
/// quantize stage), so the result is reproducible.
public enum Calibrator {
  /// Statistics of every value (graph inputs and node outputs) over `batches`.
  /// - Throws: ``QuantizationError`` when there is no batch or the graph cannot be evaluated.
  public static func collect(
    _ graph: ModelGraph, batches: [[String: Tensor<Float>]], bins: Int = 2048
  ) throws -> [String: TensorStatistics] {
    guard !batches.isEmpty else { throw QuantizationError.noCalibrationData(graph: graph.name) }
    var stats: [String: TensorStatistics] = [:]
    for batch in batches {
      try ValueTrace.run(graph, inputs: batch) { name, value in
        stats[name, default: TensorStatistics(bins: bins)].add(value.scalars)
      }
    }
    return stats
  }

  /// The range of every value under `settings`.
  /// - Throws: ``QuantizationError/invalidSetting(_:)`` for out-of-range settings.
  public static func ranges(
    _ stats: [String: TensorStatistics], settings: CalibrationSettings
  ) throws -> [String: ClosedRange<Float>] {
    try settings.validate()
    return stats.mapValues { $0.range(settings) }
  }
}
