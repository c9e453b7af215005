import Foundation
import Images
import XCTest

final class PNGTests: XCTestCase {
  func pattern(channels: Int) -> Image {
    Image(width: 5, height: 3, channels: channels, pixels: (0..<(15 * channels)).map { UInt8(($0 * 37) % 256) })
  }

  func testRoundTripGrayGrayAlphaRGBAndRGBA() throws {
    for channels in 1...4 {
      let image = pattern(channels: channels)
      let decoded = try Image(pngData: image.pngData())
      XCTAssertEqual(decoded, image, "channels \(channels)")
    }
  }

  func testWritePNGIsAtomicAndReadable() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/out.png"
    try pattern(channels: 3).writePNG(to: path)
    XCTAssertEqual(try Image(contentsOfFile: path), pattern(channels: 3))
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["out.png"])
    XCTAssertEqual(try pattern(channels: 3).pngData(), try pattern(channels: 3).pngData())
  }

  func testPaletteWithTransparencyBecomesRGBA() throws {
    let image = try Image(pngFile: Fixtures.path("palette.png"))
    XCTAssertEqual(image.channels, 4)
    XCTAssertEqual(Array(image.pixels[0..<16]), [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 0])
    XCTAssertEqual(image, try Image(pngFile: Fixtures.path("palette_rgba.png")))
  }

  func testSixteenBitSamplesKeepTheirHighByte() throws {
    let gray = try Image(pngFile: Fixtures.path("gray16.png"))
    XCTAssertEqual([gray.width, gray.height, gray.channels], [3, 1, 1])
    XCTAssertEqual(gray.pixels, [0x00, 0x12, 0xFF])
    let rgb = try Image(pngFile: Fixtures.path("rgb16.png"))
    XCTAssertEqual([rgb.width, rgb.height, rgb.channels], [2, 1, 3])
    XCTAssertEqual(rgb.pixels, [0xFF, 0x80, 0x00, 0x01, 0x7F, 0xAB])
  }

  func testTruncatedPNGNamesTheFile() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = try Image(width: 40, height: 40, channels: 3, fill: 7).pngData()
    let path = dir + "/cut.png"
    try data.prefix(data.count - 20).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try Image(contentsOfFile: path)) { error in
      XCTAssertEqual(
        "\(error)", "PNG file '\(path)' is corrupt or truncated: unexpected end of data (the file is truncated).")
    }
  }

  func testCorruptPNGNamesTheFile() throws {
    var data = try pattern(channels: 3).pngData()
    data[data.count - 20] ^= 0xFF  // inside IDAT: the CRC no longer matches
    XCTAssertThrowsError(try Image(pngData: data, source: "bad.png")) { error in
      guard case .corrupt(let file, let format, let reason) = error as? ImageError else { return XCTFail("\(error)") }
      XCTAssertEqual(file, "bad.png")
      XCTAssertEqual(format, "PNG")
      XCTAssertFalse(reason.isEmpty)
    }
    XCTAssertThrowsError(try Image(pngData: Data([1, 2, 3]), source: "tiny.png")) { error in
      XCTAssertEqual("\(error)", "PNG file 'tiny.png' is corrupt or truncated: not a PNG file (bad signature).")
    }
  }

  func testUnknownFormatAndEmptyFile() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data("GIF89a".utf8).write(to: URL(fileURLWithPath: dir + "/x.gif"))
    try Data().write(to: URL(fileURLWithPath: dir + "/empty.png"))
    XCTAssertThrowsError(try Image(contentsOfFile: dir + "/x.gif")) { error in
      XCTAssertEqual("\(error)", "Image file '\(dir)/x.gif' is neither PNG nor JPEG (unrecognised signature).")
    }
    XCTAssertThrowsError(try Image(contentsOfFile: dir + "/empty.png")) { error in
      XCTAssertEqual("\(error)", "Image file '\(dir)/empty.png' is corrupt or truncated: the file is empty.")
    }
    XCTAssertThrowsError(try Image(contentsOfFile: dir + "/missing.png")) { error in
      XCTAssertEqual("\(error)", "Image file '\(dir)/missing.png' could not be read: no such file.")
    }
  }
}
