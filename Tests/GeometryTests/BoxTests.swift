import Geometry
import XCTest

final class BoxTests: XCTestCase {
  /// A 20×10 px object with its top-left corner at (30, 40) in a 100×50 image, by hand.
  func testPixelCornersAndFromCorners() {
    let box = Box(classIndex: 2, x0: 30, y0: 40, x1: 50, y1: 50, width: 100, height: 50)
    XCTAssertEqual(box.cx, 0.4)
    XCTAssertEqual(box.cy, 0.9)
    XCTAssertEqual(box.w, 0.2)
    XCTAssertEqual(box.h, 0.2)
    let c = box.pixelCorners(width: 100, height: 50)
    XCTAssertEqual(c.x0, 30, accuracy: 1e-5)
    XCTAssertEqual(c.y0, 40, accuracy: 1e-5)
    XCTAssertEqual(c.x1, 50, accuracy: 1e-5)
    XCTAssertEqual(c.y1, 50, accuracy: 1e-5)
  }

  /// COCO's `[x, y, w, h]`: top-left corner and size in pixels.
  func testCOCOBoxIsTopLeftAndSize() {
    let box = Box(classIndex: 0, cx: 0.5, cy: 0.25, w: 0.5, h: 0.25)
    // x0 = (0.5 − 0.25)·200 = 50, y0 = (0.25 − 0.125)·80 = 10, w = 0.5·200, h = 0.25·80.
    XCTAssertEqual(box.cocoBox(width: 200, height: 80), [50, 10, 100, 20])
  }

  func testClippingAndInsideTest() {
    let box = Box(classIndex: 1, cx: 0.9, cy: 0.5, w: 0.4, h: 0.2)
    XCTAssertFalse(box.isInsideImage)
    let clipped = box.clipped()
    XCTAssertEqual(clipped?.x0 ?? -1, 0.7, accuracy: 1e-6)
    XCTAssertEqual(clipped?.x1 ?? -1, 1, accuracy: 1e-6)
    XCTAssertEqual(clipped?.classIndex, 1)
    XCTAssertTrue(clipped?.isInsideImage ?? false)
    XCTAssertNil(Box(classIndex: 0, cx: 1.2, cy: 0.5, w: 0.2, h: 0.2).clipped())
  }
}
