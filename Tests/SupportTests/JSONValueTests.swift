import Foundation
import XCTest

@testable import Support

final class JSONValueTests: XCTestCase {
  let text = #"{"b": [1, 2.5, "x\n\"y\""], "a": {"z": null, "y": true, "n": -3}, "e": [], "s": [{"k": 1}]}"#

  func value() throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

  func testCanonicalTextSortsKeysAndWritesIntegralNumbersWithoutFraction() throws {
    XCTAssertEqual(
      try value().canonical,
      #"{"a":{"n":-3,"y":true,"z":null},"b":[1,2.5,"x\n\"y\""],"e":[],"s":[{"k":1}]}"#)
  }

  /// The canonical text is itself JSON that decodes to the same value (checked by Foundation's
  /// decoder, an independent parser), and Codable encoding round-trips too.
  func testRoundTrips() throws {
    let v = try value()
    XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: Data(v.canonical.utf8)), v)
    XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: Data(v.pretty().utf8)), v)
    XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(v)), v)
    XCTAssertEqual(String(decoding: try JSONEncoder().encode(JSONValue.number(3)), as: UTF8.self), "3")
  }

  func testPrettyTextKeepsScalarArraysOnOneLine() throws {
    XCTAssertEqual(
      try value().pretty(),
      """
      {
        "a": {
          "n": -3,
          "y": true,
          "z": null
        },
        "b": [1, 2.5, "x\\n\\"y\\""],
        "e": [],
        "s": [
          {
            "k": 1
          }
        ]
      }
      """)
  }

  func testFlattenedPathsAndAccessors() throws {
    let v = try value()
    XCTAssertEqual(
      v.flattened().map { "\($0.path)=\($0.value)" },
      ["a.n=-3", "a.y=true", "a.z=null", #"b=[1, 2.5, "x\n\"y\""]"#, "e=[]", "s[0].k=1"])
    XCTAssertEqual(v["a"]?["n"]?.intValue, -3)
    XCTAssertNil(v["b"]?.arrayValue?[1].intValue)
    XCTAssertEqual(v["b"]?.arrayValue?[1].doubleValue, 2.5)
    XCTAssertEqual(v["a"]?["y"]?.boolValue, true)
    XCTAssertEqual(v["b"]?.brief, "an array")
    XCTAssertEqual(JSONValue.quote("tab\there\u{1}"), #""tab\there\u0001""#)
  }
}
