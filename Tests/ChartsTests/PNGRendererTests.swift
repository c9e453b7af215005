import CCairo
import Foundation
import XCTest

@testable import Charts

final class PNGRendererTests: XCTestCase {
  /// Decodes PNG bytes with Cairo and returns (width, height, pixels as 0xAARRGGBB).
  func decode(_ png: Data) throws -> (Int, Int, [UInt32]) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("charts-\(UUID().uuidString).png")
    try png.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let surface = try XCTUnwrap(cairo_image_surface_create_from_png(url.path))
    defer { cairo_surface_destroy(surface) }
    XCTAssertEqual(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS)
    let width = Int(cairo_image_surface_get_width(surface))
    let height = Int(cairo_image_surface_get_height(surface))
    let stride = Int(cairo_image_surface_get_stride(surface))
    let base = try XCTUnwrap(cairo_image_surface_get_data(surface))
    var pixels: [UInt32] = []
    pixels.reserveCapacity(width * height)
    for y in 0..<height {
      let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
      for x in 0..<width { pixels.append(row[x]) }
    }
    return (width, height, pixels)
  }

  /// Pixels within `tolerance` per channel of `color`.
  func count(_ pixels: [UInt32], near color: ChartColor, tolerance: Int = 24) -> Int {
    pixels.filter { p in
      abs(Int((p >> 16) & 0xFF) - Int(color.red)) <= tolerance
        && abs(Int((p >> 8) & 0xFF) - Int(color.green)) <= tolerance
        && abs(Int(p & 0xFF) - Int(color.blue)) <= tolerance
    }.count
  }

  func testPNGHasSignatureAndScaledSize() throws {
    let png = try PNGRenderer.render(ChartLayout.layout(ChartFixtures.lossChart), scale: 2)
    XCTAssertEqual(Array(png.prefix(8)), PNGHeader.signature)
    let (width, height, _) = try decode(png)
    XCTAssertEqual(width, 960)
    XCTAssertEqual(height, 600)
    XCTAssertEqual(PNGHeader.size(of: png)?.width, 960)
  }

  func testDrawnLineLeavesSeriesColouredPixelsOnTheLineRow() throws {
    let scene = ChartLayout.layout(ChartFixtures.flatLine)
    let (width, height, pixels) = try decode(try PNGRenderer.render(scene, scale: 1))
    XCTAssertEqual(width, 200)
    XCTAssertEqual(height, 150)
    let blue = Palette.color(0)
    let total = count(pixels, near: blue)
    // A 2-px line across the plot width: well over 100 pixels, and on the line's row.
    XCTAssertGreaterThan(total, 100)
    guard
      case .polyline(let points, _, _, _, .mark)? = scene.items.last(where: {
        if case .polyline(_, _, _, _, .mark) = $0 { return true }
        return false
      })
    else { return XCTFail("no line in the scene") }
    let row = Int(points[0].y)
    let rowPixels = Array(pixels[(row * width)..<((row + 1) * width)])
    XCTAssertGreaterThan(count(rowPixels, near: blue), 50)
    let (_, _, emptyPixels) = try decode(try PNGRenderer.render(ChartLayout.layout(ChartFixtures.empty), scale: 1))
    XCTAssertEqual(count(emptyPixels, near: blue), 0)
    // Text and axes are drawn too: dark pixels exist in both.
    XCTAssertGreaterThan(count(emptyPixels, near: .ink, tolerance: 60), 50)
  }

  func testImageGridEmbedsPNGs() throws {
    var tileScene = Scene(width: 40, height: 30, title: "tile")
    tileScene.add(
      .rect(Rect(x: 5, y: 5, width: 30, height: 20), fill: Palette.color(0), stroke: nil, opacity: 1, role: .mark))
    let tile = try PNGRenderer.render(tileScene, scale: 1)
    let chart = Chart(
      title: "samples", width: 300, height: 200,
      content: .imageGrid(
        ImageGrid(images: [GridImage(png: tile, caption: "a"), GridImage(png: tile, caption: "b")], columns: 2)))
    let scene = ChartLayout.layout(chart)
    let (_, _, pixels) = try decode(try PNGRenderer.render(scene, scale: 1))
    XCTAssertGreaterThan(count(pixels, near: Palette.color(0)), 1000)
    let svg = SVGRenderer.render(scene)
    XCTAssertEqual(svg.components(separatedBy: "data:image/png;base64,").count, 3)
  }

  func testBadEmbeddedImageIsATypedError() {
    var scene = Scene(width: 10, height: 10, title: "x")
    scene.add(.image(png: Data([1, 2, 3]), rect: Rect(x: 0, y: 0, width: 5, height: 5)))
    XCTAssertThrowsError(try PNGRenderer.render(scene)) { error in
      guard case ChartError.badEmbeddedImage(let index, _) = error else { return XCTFail("\(error)") }
      XCTAssertEqual(index, 0)
    }
  }
}
