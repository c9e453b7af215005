import Graph
import XCTest

/// The op registry is the single, complete list of op semantics.
final class OpRegistryTests: XCTestCase {
  func testEveryOpKindIsRegisteredExactlyOnce() {
    let kinds = OpRegistry.all.map { $0.kind }
    XCTAssertEqual(kinds.count, Set(kinds).count, "an op kind is registered twice")
    for kind in OpKind.allCases {
      XCTAssertEqual(kinds.filter { $0 == kind }.count, 1, "\(kind.rawValue) is not registered")
    }
  }

  func testSchemasAreDocumentedAndAttributeNamesUnique() {
    for op in OpRegistry.all {
      XCTAssertFalse(op.schema.summary.isEmpty, "\(op.kind.rawValue) has no summary")
      let names = op.schema.attributes.map(\.name)
      XCTAssertEqual(names.count, Set(names).count, "\(op.kind.rawValue) repeats an attribute")
      for attribute in op.schema.attributes {
        XCTAssertFalse(attribute.doc.isEmpty, "\(op.kind.rawValue).\(attribute.name) has no doc")
        if let d = attribute.defaultValue {
          XCTAssertEqual(d.typeName, attribute.type, "\(op.kind.rawValue).\(attribute.name)")
        }
      }
    }
  }

  func testEveryPassIsNamedAndDocumented() {
    let names = PassRegistry.all.map { $0.name }
    XCTAssertEqual(names.count, Set(names).count)
    XCTAssertTrue(PassRegistry.all.allSatisfy { !$0.summary.isEmpty })
    XCTAssertNotNil(PassRegistry.pass(named: "fold-batchnorm"))
  }

  func testAttributeJSONRoundTripKeepsTheType() throws {
    let attributes: [String: Attribute] = [
      "a": .int(1), "b": .float(1), "c": .ints([1, 2]), "d": .floats([0.5]), "e": .bool(true), "f": .string("x"),
    ]
    let data = try JSONEncoder().encode(attributes)
    XCTAssertEqual(try JSONDecoder().decode([String: Attribute].self, from: data), attributes)
    XCTAssertTrue(
      String(decoding: try JSONEncoder().encode(Attribute.float(1)), as: UTF8.self).contains("\"type\":\"float\""))
  }
}
