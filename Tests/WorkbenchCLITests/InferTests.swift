import Experiment
import Foundation
import Graph
import GraphFixtures
import HDF5
import Quantization
import Support
import Tensors
import XCTest

/// `workbench infer` runs a model file on an `.npy` or HDF5 input and writes every output: the
/// same numbers as Graph's reference evaluation in this process.
final class InferTests: XCTestCase {
  func testInferEqualsTheReferenceEvaluationForNpyAndHDF5Inputs() throws {
    let dir = URL(fileURLWithPath: try Fixtures.temporaryDirectory())
    defer { try? FileManager.default.removeItem(at: dir) }
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    let model = dir.appendingPathComponent("model.json")
    try JSONEncoder().encode(graph).write(to: model)
    let feeds = Fixtures.input(for: graph, batch: 2)
    guard let (name, x) = feeds.first else { return XCTFail("the fixture graph has no input") }
    let expected = try graph.evaluate(inputs: [name: x])

    let npy = dir.appendingPathComponent("in.npy")
    try NPYArray(shape: x.shape, scalars: x.scalars).bytes.write(to: npy)
    let h5 = dir.appendingPathComponent("in.h5")
    let file = try HDF5File.create(at: h5.path)
    try file.root.write(x.scalars, shape: x.shape, to: "input")
    try file.close()

    let cli = WorkbenchProcess(cache: dir.appendingPathComponent("cache"))
    for input in [npy, h5] {
      let out = dir.appendingPathComponent("out-\(input.pathExtension).h5")
      let r = try cli.run(["infer", model.path, "--input", input.path, "--output", out.path])
      XCTAssertEqual(r.status, 0, r.err)
      let written = try HDF5File.open(out.path)
      defer { try? written.close() }
      for o in graph.outputs {
        let d = try written.root.dataset(o.name)
        XCTAssertEqual(d.shape, expected[o.name]?.shape)
        XCTAssertEqual(
          try d.read(as: Float.self), expected[o.name]?.scalars, "output \(o.name) from \(input.lastPathComponent)")
      }
    }
    // a graph without weights is refused with a sentence, and nothing is written
    let bare = dir.appendingPathComponent("bare.json")
    try JSONEncoder().encode(try Fixtures.everyOp()).write(to: bare)
    let refused = try cli.run([
      "infer", bare.path, "--input", npy.path, "--output", dir.appendingPathComponent("x.h5").path,
    ])
    XCTAssertNotEqual(refused.status, 0)
    XCTAssertTrue(refused.err.contains("holds a graph without weights"), refused.err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.h5").path))
  }

  func testIntAndFakeQuantEnginesRunTheQuantizedModelAsInProcess() throws {
    let dir = URL(fileURLWithPath: try Fixtures.temporaryDirectory())
    defer { try? FileManager.default.removeItem(at: dir) }
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny")))
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(30 + $0)) }
    let ranges = try Calibrator.ranges(
      try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings(method: .minmax))
    guard let (name, x) = batches[0].first else { return XCTFail("the zoo graph has no input") }
    let npy = dir.appendingPathComponent("in.npy")
    try NPYArray(shape: x.shape, scalars: x.scalars).bytes.write(to: npy)
    let cli = WorkbenchProcess(cache: dir.appendingPathComponent("cache"))
    for scheme in QuantizationScheme.allCases {
      let model = try SchemeQuantization.quantize(graph, scheme: scheme, ranges: ranges)
      let file = dir.appendingPathComponent("\(scheme.rawValue).quantized.h5")
      try QuantizedModelFile.save(model, to: file.path)
      let engines: [(String, (any QuantizedInference)?)] = [
        ("int", try SchemeQuantization.executor(for: model)),
        ("fake-quant", try? SchemeQuantization.fakeQuantExecutor(for: model)),
      ]
      for (engine, executor) in engines {
        let out = dir.appendingPathComponent("out-\(scheme.rawValue)-\(engine).h5")
        let r = try cli.run(["infer", file.path, "--engine", engine, "--input", npy.path, "--output", out.path])
        guard let executor else {
          // a scheme without that engine says so, and writes nothing
          XCTAssertNotEqual(r.status, 0)
          XCTAssertTrue(r.err.contains("has no fake-quant executor"), r.err)
          XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
          continue
        }
        XCTAssertEqual(r.status, 0, r.err)
        let expected = try executor.run(inputs: [name: x])
        let written = try HDF5File.open(out.path)
        defer { try? written.close() }
        for o in graph.outputs {
          XCTAssertEqual(
            try written.root.dataset(o.name).read(as: Float.self), expected[o.name]?.scalars,
            "\(scheme.rawValue) \(engine) \(o.name)")
        }
      }
    }
  }
}
