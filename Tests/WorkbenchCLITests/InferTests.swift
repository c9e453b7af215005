import Foundation
import Graph
import GraphFixtures
import HDF5
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
}
