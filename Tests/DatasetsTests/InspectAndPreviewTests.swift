import Datasets
import Foundation
import Geometry
import Images
import XCTest

final class InspectAndPreviewTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  func writeDetection() throws -> String {
    let path = dir.file("d.h5")
    let writer = try DatasetWriter(
      path: path, kind: .detection, classNames: ["circle", "square"], source: "unit test", imageSize: (10, 20, 3))
    try writer.beginSplit("train", count: 3)
    try writer.append(
      Image(width: 20, height: 10, channels: 3, fill: 50), boxes: [Box(classIndex: 1, cx: 0.5, cy: 0.5, w: 0.5, h: 0.5)]
    )
    try writer.append(Image(width: 20, height: 10, channels: 3, fill: 60), boxes: [])
    try writer.append(
      Image(width: 20, height: 10, channels: 3, fill: 70),
      boxes: [
        Box(classIndex: 0, cx: 0.2, cy: 0.5, w: 0.2, h: 0.5), Box(classIndex: 1, cx: 0.7, cy: 0.5, w: 0.2, h: 0.5),
      ])
    try writer.endSplit()
    try writer.finish()
    return path
  }

  func testSummaryListsSplitsCountsHistogramSizeAndHash() throws {
    let path = try writeDetection()
    let hash = try DatasetFile(path: path).contentHash
    XCTAssertEqual(
      try DatasetInspector.summary(of: path, verify: true),
      """
      file: \(path)
      kind: detection  schema: v1
      source: unit test
      content_hash: \(hash)
      hash check: ok
      classes (2): circle, square
      [train] images: 3  size: 20x10x3 (WxHxC)
        boxes: 3  empty images: 1
        per class: circle=1 square=2
      """)
  }

  func testPreviewDrawsTilesAndBoxes() throws {
    let path = try writeDetection()
    let grid = try DatasetPreview.render(file: path, count: 3, columns: 2, cell: 40)
    // Tiles are scaled ×2 (20×10 → 40×20); 2 columns, 2 rows, 4 px padding.
    XCTAssertEqual([grid.width, grid.height, grid.channels], [4 + 2 * 44, 4 + 2 * 24, 3])
    XCTAssertEqual(grid[x: 4 + 2, y: 4 + 18, c: 0], 50)  // inside tile 0, away from the box
    XCTAssertEqual(grid[x: 4 + 10, y: 4 + 10, c: 1], Color.palette[1].green)  // box outline: x 10, y 5..<15
    XCTAssertEqual(grid[x: 1, y: 1, c: 0], 40)  // background
    let png = dir.file("grid.png")
    try DatasetPreview.write(file: path, to: png, count: 3)
    XCTAssertEqual(try Image(contentsOfFile: png).channels, 3)
  }
}
