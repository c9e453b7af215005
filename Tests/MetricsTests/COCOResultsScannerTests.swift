import Foundation
import XCTest

@testable import Metrics

/// The fast results reader must agree with `JSONDecoder` bit for bit, or defer to it.
final class COCOResultsScannerTests: XCTestCase {
  func decodeWithJSONDecoder(_ text: String) throws -> [COCOResult] {
    let decoder = JSONDecoder()
    decoder.allowsJSON5 = true
    return try decoder.decode([COCOResult].self, from: Data(text.utf8))
  }

  func testAgreesWithJSONDecoderOnRandomResults() throws {
    var rng = SplitMix64(seed: 3)
    var objects: [String] = []
    var expected: [COCOResult] = []
    for n in 0..<500 {
      let bbox = (0..<4).map { _ in Double.random(in: -1e3...1e3, using: &rng) }
      let score = n % 7 == 0 ? 1e-300 * Double(n) : Double.random(in: 0...1, using: &rng)
      let r = COCOResult(imageId: n * 3 - 50, categoryId: n % 5, bbox: bbox, score: score)
      expected.append(r)
      let fields = [
        "\"image_id\": \(r.imageId)", "\"category_id\" :\(r.categoryId)",
        "\"bbox\": [\(bbox.map { "\($0)" }.joined(separator: ", "))]", "\"score\":\(score)",
        "\"extra\": {\"a\": [1, \"x\\\"y\", null, true], \"b\": -2.5e-3}",
      ].shuffled(using: &rng)
      objects.append("{" + fields.joined(separator: n % 2 == 0 ? "," : " ,\n ") + "}")
    }
    let text = "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    var scanner = COCOResultsScanner(Array(text.utf8))
    let fast = try XCTUnwrap(scanner.scan())
    XCTAssertEqual(fast, expected)
    XCTAssertEqual(fast, try decodeWithJSONDecoder(text))
  }

  func testSpecialNumbersAndFallbacks() throws {
    var scanner = COCOResultsScanner(
      Array(#"[{"image_id":1,"category_id":2,"bbox":[0,1,2,3],"score":NaN}]"#.utf8))
    let nan = try XCTUnwrap(scanner.scan())
    XCTAssertTrue(nan[0].score.isNaN)
    // Unusual inputs make the scanner defer (nil) to JSONDecoder.
    for text in [
      #"[{"image_id":1,"bbox":[0,1,2,3],"score":1}]"#,  // missing key
      #"[{"image_id":1.5,"category_id":2,"bbox":[0,1,2,3],"score":1}]"#,  // fractional id
      #"[{"image_\u0069d":1,"category_id":2,"bbox":[0,1,2,3],"score":1}]"#,  // escaped key
      #"[{"image_id":1,"category_id":2,"bbox":[0,1,2,3],"score":1}"#,  // truncated
    ] {
      var s = COCOResultsScanner(Array(text.utf8))
      XCTAssertNil(s.scan(), text)
    }
    var empty = COCOResultsScanner(Array(" [ ] ".utf8))
    XCTAssertEqual(empty.scan(), [])
    // Through the public entry point, the escaped key still decodes (via JSONDecoder).
    let escaped = try COCOResult.decodeList(
      from: Data(#"[{"image_\u0069d":1,"category_id":2,"bbox":[0,1,2,3],"score":1}]"#.utf8))
    XCTAssertEqual(escaped.first?.imageId, 1)
  }
}
