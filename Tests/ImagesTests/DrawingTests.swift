import Images
import XCTest

final class DrawingTests: XCTestCase {
  func painted(_ image: Image) -> Int {
    stride(from: 0, to: image.pixels.count, by: image.channels).filter { image.pixels[$0] != 0 }.count
  }

  func testShapesCoverTheExpectedArea() {
    var image = Image(width: 40, height: 40, channels: 1)
    image.fillRectangle(x0: -5, y0: 2, x1: 10, y1: 6, color: .white)
    XCTAssertEqual(painted(image), 40)
    image = Image(width: 40, height: 40, channels: 1)
    image.fillCircle(cx: 20, cy: 20, radius: 10, color: .white)
    XCTAssertEqual(Double(painted(image)), Double.pi * 100, accuracy: 12)
    image = Image(width: 40, height: 40, channels: 1)
    image.fillTriangle((0, 0), (20, 0), (0, 20), color: .white)
    XCTAssertEqual(Double(painted(image)), 200, accuracy: 22)
    image = Image(width: 40, height: 40, channels: 1)
    image.strokeRectangle(x0: 0, y0: 0, x1: 10, y1: 10, color: .white)
    XCTAssertEqual(painted(image), 36)
    image = Image(width: 40, height: 40, channels: 1)
    image.drawLine(x0: 0, y0: 0, x1: 9, y1: 9, color: .white)
    XCTAssertEqual(painted(image), 10)
  }

  func testTextUsesTheBitmapFont() {
    var image = Image(width: 20, height: 10, channels: 3)
    image.drawText("1", x: 0, y: 0, color: .white)
    // The glyph "1" has 4 + ... pixels: rows 0x04,0x0C,0x04,0x04,0x04,0x04,0x0E → 1+2+1+1+1+1+3.
    XCTAssertEqual(painted(image), 10)
    XCTAssertEqual(BitmapFont.width(of: "AB", scale: 2), 22)
  }
}
