import Foundation
import Graph
import GraphFixtures
import XCTest

/// The shipped definitions: embedded copies equal the files, lookup by name and path.
final class ModelZooTests: XCTestCase {
  /// `Experiments/models` of the repository, found from this source file.
  static var modelsDirectory: String {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Experiments/models").path
  }

  func testEmbeddedDefinitionsAreIdenticalToTheFiles() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.modelsDirectory)
      .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    XCTAssertEqual(
      files, ["mobilenet-tiny", "mobilenet-v1", "squeezenet1.1", "squeezenet1.1-reid", "tiny-yolo", "tiny-yolo-shapes"])
    XCTAssertEqual(ModelZoo.names, files)
    for name in files {
      let text = try String(contentsOfFile: "\(Self.modelsDirectory)/\(name).json", encoding: .utf8)
      XCTAssertEqual(ModelZoo.embedded[name], text, "\(name): regenerate ModelZoo+Embedded.swift from the file")
      XCTAssertEqual(try ModelZoo.definition(name).name, name)
    }
  }

  func testEveryZooModelBuildsAtSeveralMultipliers() throws {
    for name in ModelZoo.names {
      for options in [BuildOptions(), BuildOptions(width: 0.5, depth: 0.5, resolution: 0.5)] {
        let graph = try ModelZoo.graph(name, options: options)
        XCTAssertNoThrow(try graph.validate(), name)
      }
    }
    let small = try ModelZoo.graph("mobilenet-v1", options: BuildOptions(width: 0.5, resolution: 160.0 / 224))
    XCTAssertEqual(small.inputs[0].shape, [1, 3, 160, 160])
    XCTAssertEqual(small.shape(of: "block13_pw_relu"), [1, 512, 5, 5])
  }

  func testFilesOnDiskTakePrecedenceAndPathsWork() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/Experiments/models", withIntermediateDirectories: true)
    let edited = (ModelZoo.embedded["tiny-yolo"] ?? "").replacingOccurrences(
      of: "\"classes\": 20", with: "\"classes\": 3")
    try edited.write(toFile: dir + "/Experiments/models/tiny-yolo.json", atomically: true, encoding: .utf8)
    XCTAssertEqual(
      ModelZoo.file(for: "tiny-yolo", environment: ["WORKBENCH_HOME": dir]), dir + "/Experiments/models/tiny-yolo.json")
    XCTAssertEqual(try ModelZoo.graph(dir + "/Experiments/models/tiny-yolo.json").outputs[0].numClasses, 3)
    XCTAssertThrowsError(try ModelZoo.definition("resnet-9000")) { error in
      XCTAssertEqual(
        "\(error)",
        "Model definition 'resnet-9000': is neither a definition file nor a zoo model (zoo models: mobilenet-tiny, mobilenet-v1, squeezenet1.1, squeezenet1.1-reid, tiny-yolo, tiny-yolo-shapes)."
      )
    }
  }
}

extension ModelZooTests {
  func testTheREADMEExampleBuilds() throws {
    let readme = try String(contentsOfFile: Self.modelsDirectory + "/README.md", encoding: .utf8)
    let start = try XCTUnwrap(readme.range(of: "```json\n"))
    let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
    let graph = try ModelDefinition.parse(String(readme[start.upperBound..<end.lowerBound])).build()
    XCTAssertEqual(graph.outputs.map(\.shape), [[1, 10]])
    XCTAssertEqual(graph.outputs.first?.role, .logits)
    XCTAssertNotNil(graph.node(named: "fire3"), "the second repetition is layer 3")
  }
}
