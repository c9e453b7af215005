import Foundation
import Graph
import GraphFixtures
import GraphHDF5
import HDF5
import XCTest

/// Weight files: round trip, the mismatch sentence, and interoperability with h5py.
final class WeightFileTests: XCTestCase {
  var dir = ""
  override func setUpWithError() throws { dir = try Fixtures.temporaryDirectory() }
  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func trained() throws -> (ModelGraph, ModelDefinition) {
    let definition = try ModelZoo.definition("squeezenet1.1-reid")
    let graph = Fixtures.withValues(try definition.build(BuildOptions(resolution: 0.5)))
    return (graph, definition)
  }

  func testSaveAndLoadRoundTrip() throws {
    let (graph, definition) = try trained()
    let path = dir + "/reid.h5"
    try WeightFile.save(graph, to: path, definition: definition)
    var empty = graph
    for key in empty.parameters.keys { empty.parameters[key]?.value = nil }
    XCTAssertEqual(try WeightFile.load(path, into: empty), graph)
    let (stored, text) = try WeightFile.read(path)
    XCTAssertEqual(stored, graph)
    XCTAssertEqual(text, definition.source)
    let file = try HDF5File.open(path)
    defer { try? file.close() }
    XCTAssertEqual(try file.root.attribute("definition_sha256")?.stringValue, definition.sha256)
    XCTAssertEqual(try file.root.attribute("format")?.stringValue, "workbench-weights")
    XCTAssertEqual(try file.root.dataset("parameters/conv1/weight").shape, [64, 3, 3, 3], "OIHW")
    XCTAssertEqual(try file.root.dataset("parameters/conv1_bn/running_var").shape, [64])
  }

  func testLoadingIntoADifferentGraphNamesTheFirstMismatchingTensor() throws {
    let (graph, _) = try trained()
    let path = dir + "/reid.h5"
    try WeightFile.save(graph, to: path)
    let wider = try ModelZoo.graph("squeezenet1.1-reid", options: BuildOptions(width: 2))
    XCTAssertThrowsError(try WeightFile.load(path, into: wider)) { error in
      XCTAssertEqual(
        "\(error)",
        "Weight file '\(path)' does not fit graph 'squeezenet1.1-reid': tensor 'conv1.weight' has shape [64, 3, 3, 3] in the file but [128, 3, 3, 3] in the graph."
      )
    }
    XCTAssertThrowsError(try WeightFile.load(path, into: try ModelZoo.graph("tiny-yolo"))) { error in
      XCTAssertEqual(
        "\(error)",
        "Weight file '\(path)' does not fit graph 'tiny-yolo': tensor 'conv1.weight' has shape [64, 3, 3, 3] in the file but [16, 3, 3, 3] in the graph."
      )
    }
    let folded = try FoldBatchNorm.run(graph)
    XCTAssertThrowsError(try WeightFile.load(path, into: folded)) { error in
      XCTAssertEqual(
        "\(error)",
        "Weight file '\(path)' does not fit graph 'squeezenet1.1-reid': tensor 'adapter.bias' with shape [3] is missing from the file."
      )
    }
  }

  func testSavingAGraphWithoutValuesFails() throws {
    let graph = try ModelZoo.graph("tiny-yolo")
    XCTAssertThrowsError(try WeightFile.save(graph, to: dir + "/x.h5")) { error in
      XCTAssertTrue("\(error)".contains("parameter 'conv1.weight' has no value"), "\(error)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.h5"), "no partial file is left")
  }

  func testH5pyReadsTheWeightsInPyTorchLayout() throws {
    let (graph, definition) = try trained()
    let path = dir + "/reid.h5"
    try WeightFile.save(graph, to: path, definition: definition)
    let script = """
      import sys, json
      try:
          import h5py
      except ImportError:
          sys.exit(3)
      f = h5py.File(sys.argv[1], 'r')
      w = f['parameters/fire3_expand3x3/weight']
      print(list(w.shape), w.dtype)
      print('%.6f' % float(w[1, 2, 0, 1]))
      print(json.loads(f['model/graph'].asstr()[0])['name'], f.attrs['format_version'])
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    do { try process.run() } catch { throw XCTSkip("python3 is not available") }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus == 3 { throw XCTSkip("h5py is not importable (pip install h5py)") }
    XCTAssertEqual(process.terminationStatus, 0)
    let weight = try XCTUnwrap(graph.parameters["fire3_expand3x3.weight"]?.value)
    XCTAssertEqual(
      output,
      """
      [64, 16, 3, 3] float32
      \(String(format: "%.6f", weight[1, 2, 0, 1]))
      squeezenet1.1-reid 1

      """)
  }
}

extension WeightFileTests {
  func testSavingTheSameModelTwiceGivesIdenticalBytes() throws {
    let (graph, definition) = try trained()
    try WeightFile.save(graph, to: dir + "/a.h5", definition: definition)
    try WeightFile.save(graph, to: dir + "/b.h5", definition: definition)
    let a = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/a.h5"))
    XCTAssertEqual(a, FileManager.default.contents(atPath: dir + "/b.h5"))
    XCTAssertGreaterThan(a.count, 4 * 725_449)
  }
}
