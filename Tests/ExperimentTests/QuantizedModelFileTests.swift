import Graph
import GraphFixtures
import GraphHDF5
import Quantization
import Tensors
import XCTest

@testable import Experiment

/// `model.quantized.h5` reads back to the same model, which runs bit-identically.
final class QuantizedModelFileTests: XCTestCase {
  func testSaveAndLoadRoundTripEveryScheme() throws {
    var options = BuildOptions()
    options.width = 0.25
    options.inputSize = [32, 32]
    let folded = try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("tiny-yolo", options: options)))
    let batches = (0..<2).map { Fixtures.input(for: folded, batch: 2, seed: UInt64(10 + $0)) }
    let ranges = try Calibrator.ranges(
      Calibrator.collect(folded, batches: batches), settings: CalibrationSettings(method: .minmax))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("wb-qfile-\(getpid()).h5").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    for scheme in QuantizationScheme.allCases {
      let model = try SchemeQuantization.quantize(folded, scheme: scheme, ranges: ranges)
      try QuantizedModelFile.save(model, to: path)
      let loaded = try QuantizedModelFile.load(path)
      XCTAssertEqual(loaded, model, scheme.rawValue)
      let a = try SchemeQuantization.executor(for: model).run(inputs: batches[0])
      let b = try SchemeQuantization.executor(for: loaded).run(inputs: batches[0])
      XCTAssertEqual(a, b, scheme.rawValue)
    }
  }

  func testAFloatWeightFileIsNotAQuantizedModel() throws {
    let graph = Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny"))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("wb-qfile-f-\(getpid()).h5").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try WeightFile.save(graph, to: path)
    XCTAssertThrowsError(try QuantizedModelFile.load(path)) {
      XCTAssertTrue("\($0)".contains("not a quantized model"), "\($0)")
    }
  }
}
