import Foundation
import Graph
import GraphFixtures
import Tensors
import XCTest

/// Parameters carry an element type; integer (quantized) values round-trip through the JSON
/// graph, and float files keep the format they had before element types existed.
final class ParameterTests: XCTestCase {
  /// A 1×1 conv with 2 outputs over 3 channels followed by a BatchNorm: weight [2, 3, 1, 1].
  func convGraph() throws -> ModelGraph {
    var b = GraphBuilder(name: "q")
    let x = b.input("x", shape: [1, 3, 2, 2])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    b.output(try b.add(.batchNorm, "bn", [c]))
    return try b.finish()
  }

  /// `graph` with integer values in `c.weight` (of `type`) and an int32 `c.bias`.
  func quantized(_ graph: ModelGraph, _ type: Parameter.ElementType) -> ModelGraph {
    var g = Fixtures.withValues(graph)
    let w: [Int] = [-128, -1, 0, 1, 7, 127].map { type == .uint8 ? $0 + 128 : $0 }
    let data: ParameterData
    switch type {
    case .float32: data = .float32(Tensor(shape: [2, 3, 1, 1], scalars: w.map(Float.init)))
    case .int8: data = .int8(Tensor(shape: [2, 3, 1, 1], scalars: w.map { Int8($0) }))
    case .uint8: data = .uint8(Tensor(shape: [2, 3, 1, 1], scalars: w.map { UInt8($0) }))
    case .int16: data = .int16(Tensor(shape: [2, 3, 1, 1], scalars: w.map { Int16($0 * 200) }))
    case .int32: data = .int32(Tensor(shape: [2, 3, 1, 1], scalars: w.map { Int32($0 * 1_000_000) }))
    }
    g.parameters["c.weight"]?.data = data
    g.parameters["c.bias"]?.data = .int32(Tensor(shape: [2], scalars: [Int32.min, Int32.max]))
    return g
  }

  func testAParameterInTheFormatBeforeElementTypesDecodesAsFloat32() throws {
    let old = #"{"shape":[2],"kind":"buffer","value":{"shape":[2],"scalars":[1.5,-2]}}"#
    let p = try JSONDecoder().decode(Parameter.self, from: Data(old.utf8))
    XCTAssertEqual(p.elementType, .float32)
    XCTAssertEqual(p.kind, .buffer)
    XCTAssertEqual(p.value, Tensor(shape: [2], scalars: [1.5, -2]))
    let shapeOnly = try JSONDecoder().decode(Parameter.self, from: Data(#"{"shape":[4,3],"kind":"trainable"}"#.utf8))
    XCTAssertEqual(shapeOnly, Parameter(shape: [4, 3]))
  }

  /// A float graph encodes its parameters with exactly the old keys, so model.json files (and
  /// the graph stored in weight files) are unchanged for float models.
  func testFloatGraphsEncodeInTheOldFormat() throws {
    let graph = Fixtures.withValues(try convGraph())
    let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(graph)) as? [String: Any]
    let parameters = try XCTUnwrap(json?["parameters"] as? [String: [String: Any]])
    XCTAssertEqual(parameters.count, 6)
    for (key, p) in parameters { XCTAssertEqual(Set(p.keys), ["shape", "kind", "value"], key) }
    XCTAssertEqual(try JSONDecoder().decode(ModelGraph.self, from: try JSONEncoder().encode(graph)), graph)
  }

  func testIntegerParametersRoundTripThroughJSONWithTheirType() throws {
    for type in Parameter.ElementType.allCases {
      let graph = quantized(try convGraph(), type)
      XCTAssertEqual(graph.parameters["c.weight"]?.elementType, type)
      XCTAssertNoThrow(try graph.validate())
      let data = try JSONEncoder().encode(graph)
      let decoded = try JSONDecoder().decode(ModelGraph.self, from: data)
      XCTAssertEqual(decoded, graph, type.rawValue)
      XCTAssertEqual(decoded.parameters["c.bias"]?.data, .int32(Tensor(shape: [2], scalars: [Int32.min, Int32.max])))
      let text = String(decoding: data, as: UTF8.self)
      XCTAssertEqual(text.contains(#""elementType":"\#(type.rawValue)""#), type != .float32, type.rawValue)
    }
  }

  func testSettingAndClearingValuesKeepsTheElementTypeConsistent() throws {
    var p = Parameter(shape: [2], elementType: .int8, data: .int8(Tensor(shape: [2], scalars: [3, -4])))
    XCTAssertNil(p.value, "an int8 parameter has no float value")
    XCTAssertTrue(p.hasValue)
    p.data = nil
    XCTAssertEqual(p.elementType, .int8, "a cleared value keeps the declared type")
    XCTAssertFalse(p.hasValue)
    p.value = Tensor(shape: [2], scalars: [0.5, 1])
    XCTAssertEqual(p.elementType, .float32)
    XCTAssertEqual(Parameter.ElementType.allCases.map(\.byteCount), [4, 1, 1, 2, 4])
  }

  func testTheReferenceEvaluationRefusesIntegerParameters() throws {
    let graph = quantized(try convGraph(), .int8)
    XCTAssertThrowsError(try graph.evaluate(inputs: Fixtures.input(for: graph))) { error in
      XCTAssertEqual(
        "\(error)",
        "Graph 'q' cannot be evaluated in float: parameter 'c.weight' holds int8 values (evaluate the float32 graph, or dequantize first)."
      )
    }
  }

  func testValidationReportsIntegerValuesOfTheWrongShape() throws {
    var graph = try convGraph()
    graph.parameters["c.weight"]?.data = .int8(Tensor(shape: [6], scalars: [1, 2, 3, 4, 5, 6]))
    XCTAssertThrowsError(try graph.validate()) { error in
      XCTAssertTrue(
        "\(error)".contains("parameter 'c.weight' holds a value of shape [6], not [2, 3, 1, 1]."), "\(error)")
    }
  }

  /// Folding is float arithmetic: a quantized conv keeps its BatchNorm (and its integers).
  func testFoldBatchNormLeavesQuantizedConvolutionsAlone() throws {
    let graph = quantized(try convGraph(), .int8)
    XCTAssertEqual(try FoldBatchNorm.run(graph), graph)
    let float = Fixtures.withValues(try convGraph())
    XCTAssertFalse(try FoldBatchNorm.run(float).nodes.contains { $0.op == .batchNorm })
  }
}
