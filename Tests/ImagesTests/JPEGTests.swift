import Foundation
import Images
import XCTest

final class JPEGTests: XCTestCase {
  func maxDifference(_ a: Image, _ b: Image) -> Int {
    zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
  }

  func testRGBMatchesPillowsDecode() throws {
    let ours = try Image(jpegFile: Fixtures.path("rgb.jpg"))
    let pillow = try Image(pngFile: Fixtures.path("rgb_pil.png"))
    XCTAssertEqual([ours.width, ours.height, ours.channels], [16, 12, 3])
    XCTAssertLessThanOrEqual(maxDifference(ours, pillow), 2)
  }

  func testGrayStaysOneChannel() throws {
    let ours = try Image(contentsOfFile: Fixtures.path("gray.jpg"))
    let pillow = try Image(pngFile: Fixtures.path("gray_pil.png"))
    XCTAssertEqual([ours.width, ours.height, ours.channels], [16, 12, 1])
    XCTAssertLessThanOrEqual(maxDifference(ours, pillow), 2)
  }

  func testTruncatedJPEGNamesTheFile() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("rgb.jpg")))
    XCTAssertThrowsError(try Image(jpegData: data.prefix(data.count / 2), source: "cut.jpg")) { error in
      XCTAssertEqual("\(error)", "JPEG file 'cut.jpg' is corrupt or truncated: Premature end of JPEG file.")
    }
  }

  func testGarbageAfterSignatureIsCorrupt() {
    let data = Data([0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3, 4, 5, 6])
    XCTAssertThrowsError(try Image(jpegData: data, source: "junk.jpg")) { error in
      guard case .corrupt(let file, let format, _) = error as? ImageError else { return XCTFail("\(error)") }
      XCTAssertEqual(file, "junk.jpg")
      XCTAssertEqual(format, "JPEG")
    }
  }
}
