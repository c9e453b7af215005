import Images
import XCTest

final class TransformTests: XCTestCase {
  func testResizeKeepsConstantImagesAndInterpolates() {
    let flat = Image(width: 7, height: 5, channels: 3, fill: 90).resized(width: 13, height: 3)
    XCTAssertEqual(flat.pixels, [UInt8](repeating: 90, count: 13 * 3 * 3))
    let ramp = Image(width: 2, height: 1, channels: 1, pixels: [0, 200]).resized(width: 4, height: 1)
    XCTAssertEqual(ramp.pixels, [0, 50, 150, 200])
  }

  func testLetterboxGeometryAndBoxMapping() {
    let (canvas, box) = Image(width: 100, height: 50, channels: 3, fill: 255).letterboxed(width: 64, height: 64)
    XCTAssertEqual([box.scaledWidth, box.scaledHeight, box.padX, box.padY], [64, 32, 0, 16])
    XCTAssertEqual(canvas[x: 10, y: 5, c: 0], 114)
    XCTAssertEqual(canvas[x: 10, y: 30, c: 0], 255)
    let mapped = box.map(cx: 0.5, cy: 0.5, w: 1, h: 1)
    XCTAssertEqual(mapped.cy, 0.5, accuracy: 1e-9)
    XCTAssertEqual(mapped.h, 0.5, accuracy: 1e-9)
    XCTAssertEqual(mapped.w, 1, accuracy: 1e-9)
  }

  func testChannelConversionFlipAndCrop() {
    let rgb = Image(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 0, 255])
    XCTAssertEqual(rgb.converted(toChannels: 1).pixels, [76, 29])
    XCTAssertEqual(rgb.flippedHorizontally().pixels, [0, 0, 255, 255, 0, 0])
    XCTAssertEqual(rgb.cropped(x: 1, y: 0, width: 2, height: 1, fill: 9).pixels, [0, 0, 255, 9, 9, 9])
  }
}
