import Foundation
import Geometry
import XCTest

final class AnchorTests: XCTestCase {
  /// model.json writes anchors as `[[w, h], …]`; the type must read and write exactly that.
  func testJSONFormIsWidthHeightPair() throws {
    let json = Data("[[10.5,20],[4,4.25]]".utf8)
    let anchors = try JSONDecoder().decode([Anchor].self, from: json)
    XCTAssertEqual(anchors, [Anchor(width: 10.5, height: 20), Anchor(width: 4, height: 4.25)])
    XCTAssertEqual(String(decoding: try JSONEncoder().encode(anchors), as: UTF8.self), "[[10.5,20],[4,4.25]]")
  }

  func testRejectsAnchorsThatAreNotPairs() {
    XCTAssertThrowsError(try JSONDecoder().decode(Anchor.self, from: Data("[1,2,3]".utf8)))
    XCTAssertThrowsError(try JSONDecoder().decode(Anchor.self, from: Data("[1]".utf8)))
    XCTAssertThrowsError(try JSONDecoder().decode(Anchor.self, from: Data(#"{"width":1,"height":2}"#.utf8)))
  }

  /// Float consumers see the same value `Float(Double)` gave them before the type existed.
  func testFloatViewIsTheRoundedDouble() {
    let a: Anchor = [10.14, 73.3]
    XCTAssertEqual(a.floatWidth, Float(10.14))
    XCTAssertEqual(a.floatHeight, Float(73.3))
    XCTAssertEqual(a.width, 10.14)
  }
}
