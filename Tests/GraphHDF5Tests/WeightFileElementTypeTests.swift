import Foundation
import Graph
import GraphFixtures
import GraphHDF5
import HDF5
import Tensors
import XCTest

/// Integer (quantized) parameters are stored with their HDF5 integer type and read back as
/// that type; a file whose type differs from the graph's is refused with a sentence.
final class WeightFileElementTypeTests: XCTestCase {
  var dir = ""
  override func setUpWithError() throws { dir = try Fixtures.temporaryDirectory() }
  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// A 1×1 conv (weight [2, 3, 1, 1]) with `c.weight` of `type` holding extreme values of that
  /// type, an int32 bias, and float BatchNorm parameters.
  func graph(_ type: Parameter.ElementType) throws -> ModelGraph {
    var b = GraphBuilder(name: "q")
    let x = b.input("x", shape: [1, 3, 2, 2])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    b.output(try b.add(.batchNorm, "bn", [c]))
    var g = Fixtures.withValues(try b.finish())
    let shape = [2, 3, 1, 1]
    switch type {
    case .float32:
      g.parameters["c.weight"]?.data = .float32(Tensor(shape: shape, scalars: [-1e30, -1, 0, 0.5, 3, 1e30]))
    case .int8: g.parameters["c.weight"]?.data = .int8(Tensor(shape: shape, scalars: [.min, -1, 0, 1, 100, .max]))
    case .uint8: g.parameters["c.weight"]?.data = .uint8(Tensor(shape: shape, scalars: [0, 1, 127, 128, 200, .max]))
    case .int16: g.parameters["c.weight"]?.data = .int16(Tensor(shape: shape, scalars: [.min, -300, 0, 1, 300, .max]))
    case .int32:
      g.parameters["c.weight"]?.data = .int32(Tensor(shape: shape, scalars: [.min, -70_000, 0, 1, 70_000, .max]))
    }
    g.parameters["c.bias"]?.data = .int32(Tensor(shape: [2], scalars: [-5, Int32.max]))
    return g
  }

  func testEveryElementTypeRoundTripsWithItsHDF5Type() throws {
    for type in Parameter.ElementType.allCases {
      let g = try graph(type)
      let path = dir + "/\(type.rawValue).h5"
      try WeightFile.save(g, to: path)
      let file = try HDF5File.open(path)
      XCTAssertEqual(try file.root.dataset("parameters/c/weight").elementType.description, type.rawValue)
      XCTAssertEqual(try file.root.dataset("parameters/c/bias").elementType, .int32)
      XCTAssertEqual(try file.root.dataset("parameters/bn/weight").elementType, .float32)
      try file.close()
      var empty = g
      for key in empty.parameters.keys { empty.parameters[key]?.data = nil }
      XCTAssertEqual(empty.parameters["c.weight"]?.elementType, type, "a shape-only graph keeps the type")
      XCTAssertEqual(try WeightFile.load(path, into: empty), g, type.rawValue)
      XCTAssertEqual(try WeightFile.read(path).graph, g, type.rawValue)
    }
  }

  func testAFileWhoseTypeDiffersFromTheGraphIsRefused() throws {
    let path = dir + "/int8.h5"
    try WeightFile.save(try graph(.int8), to: path)
    let float = try graph(.float32)
    XCTAssertThrowsError(try WeightFile.load(path, into: float)) { error in
      XCTAssertEqual(
        "\(error)",
        "Weight file '\(path)' does not fit graph 'q': tensor 'c.weight' is stored as int8 but the graph expects float32."
      )
    }
    XCTAssertThrowsError(try WeightFile.load(path, into: try graph(.uint8))) { error in
      XCTAssertEqual(
        "\(error)",
        "Weight file '\(path)' does not fit graph 'q': tensor 'c.weight' is stored as int8 but the graph expects uint8."
      )
    }
  }
}
