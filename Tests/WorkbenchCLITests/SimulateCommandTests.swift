import Foundation
import Graph
import GraphFixtures
import KModel
import Quantization
import Support
import XCTest

/// `workbench simulate k210 FILE --input --output` runs the file's bytes: its outputs are the
/// simulator's on the same codes, image by image, and bad inputs get a sentence.
final class SimulateCommandTests: XCTestCase {
  func testRunsTheKModelOnNPYCodes() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-sim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // a 3×3 convolution + LeakyReLU, 3 → 4 channels on 16×16, k210-quantized and written as V3
    var b = GraphBuilder(name: "sim")
    let x = b.input("image", shape: [1, 3, 16, 16])
    let c = try b.add(
      .conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    b.output(try b.add(.leakyRelu, "l", [c], ["alpha": .float(0.1)]))
    let graph = Fixtures.withValues(try b.finish(), seed: 5)
    let batch = Fixtures.input(for: graph, batch: 2, seed: 6)
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: [batch]), settings: CalibrationSettings())
    let bytes = try KModelV3Writer.bytes(try K210Executor(graph, ranges: ranges))
    let file = dir.appendingPathComponent("m.kmodel")
    try Data(bytes).write(to: file)
    // two images of codes
    let codes = (0..<(2 * 768)).map { Float(($0 * 37) % 256) }
    let input = dir.appendingPathComponent("in.npy")
    try NPYArray(shape: [2, 3, 16, 16], scalars: codes).bytes.write(to: input)
    let out = dir.appendingPathComponent("out.npy")
    let cache = dir.appendingPathComponent("cache")
    let r = try WorkbenchProcess(cache: cache).run(
      ["simulate", "k210", file.path, "--input", input.path, "--output", out.path])
    XCTAssertEqual(r.status, 0, r.err)
    let simulator = try KModelV3Simulator(bytes: bytes)
    let expected = try (0..<2).flatMap { i in
      try simulator.run(codes[(i * 768)..<((i + 1) * 768)].map { UInt8($0) })[0]
    }
    let written = try NPYArray(contentsOf: out.path)
    XCTAssertEqual(written.shape, [2, 1024])
    XCTAssertEqual(expected.count, 2 * 1024)
    XCTAssertEqual(written.scalars, expected)
    XCTAssertGreaterThan(Set(expected).count, 20, "the outputs vary with the input")
    // a value that is not a uint8 code, and a wrong image size
    try NPYArray(shape: [1, 3, 16, 16], scalars: [Float](repeating: 0.5, count: 768)).bytes.write(to: input)
    let e = try WorkbenchProcess(cache: cache).run(
      ["simulate", "k210", file.path, "--input", input.path, "--output", out.path])
    XCTAssertNotEqual(e.status, 0)
    XCTAssertTrue(e.err.contains("value 0.5 at index 0 is not a uint8 code"), e.err)
    try NPYArray(shape: [1, 3, 8, 8], scalars: [Float](repeating: 1, count: 192)).bytes.write(to: input)
    let s = try WorkbenchProcess(cache: cache).run(
      ["simulate", "k210", file.path, "--input", input.path, "--output", out.path])
    XCTAssertNotEqual(s.status, 0)
    XCTAssertTrue(s.err.contains("but the kmodel takes 3×16×16 images"), s.err)

    // the same model as a V5 file takes the float image its entry function quantizes
    let v5 = try KModelV5Writer.bytes(try K210Executor(graph, ranges: ranges))
    let v5File = dir.appendingPathComponent("m5.kmodel")
    try Data(v5).write(to: v5File)
    let image = Fixtures.input(for: graph, batch: 1, seed: 9).values.first?.scalars ?? []
    try NPYArray(shape: [1, 3, 16, 16], scalars: image).bytes.write(to: input)
    let r5 = try WorkbenchProcess(cache: cache).run(
      ["simulate", "k210", v5File.path, "--input", input.path, "--output", out.path])
    XCTAssertEqual(r5.status, 0, r5.err)
    let written5 = try NPYArray(contentsOf: out.path)
    XCTAssertEqual(written5.shape, [1, 4, 16, 16])
    XCTAssertEqual(written5.scalars, try KModelV5Simulator(bytes: v5).run(image)[0])
  }
}
