import CCairo
import Foundation

/// Rasterises a ``Scene`` to PNG bytes with Cairo (antialiased lines and text).
///
/// Text uses Cairo's built-in font selection with the "DejaVu Sans" family (fontconfig falls
/// back to any sans-serif font installed). Text is measured by Cairo here, so anchors are exact
/// even though layout estimated the widths.
public enum PNGRenderer {
  /// The PNG encoding of `scene` at `scale` device pixels per scene pixel.
  ///
  /// - Throws: ``ChartError`` when Cairo cannot allocate the surface, an embedded image is not a
  ///   PNG, or encoding fails.
  public static func render(_ scene: Scene, scale: Double = 2) throws -> Data {
    let width = Int32(max(1, (scene.width * scale).rounded()))
    let height = Int32(max(1, (scene.height * scale).rounded()))
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else {
      throw ChartError.cairo(operation: "create a \(width)×\(height) surface", status: "no surface")
    }
    defer { cairo_surface_destroy(surface) }
    try check(cairo_surface_status(surface), "create a \(width)×\(height) surface")
    guard let cr = cairo_create(surface) else {
      throw ChartError.cairo(operation: "create a drawing context", status: "no context")
    }
    defer { cairo_destroy(cr) }
    cairo_scale(cr, scale, scale)
    setColor(cr, scene.background)
    cairo_paint(cr)
    for (index, item) in scene.items.enumerated() {
      try draw(item, index: index, cr)
    }
    try check(cairo_status(cr), "draw the scene")
    cairo_surface_flush(surface)
    var output: UnsafeMutablePointer<UInt8>? = nil
    var size = 0
    let status = wb_cairo_surface_to_png(surface, &output, &size)
    guard status == 0, let output else {
      throw ChartError.cairo(operation: "encode PNG", status: statusText(cairo_status_t(UInt32(status))))
    }
    defer { wb_cairo_free(output) }
    return Data(bytes: output, count: size)
  }

  static func draw(_ item: SceneItem, index: Int, _ cr: OpaquePointer) throws {
    switch item {
    case .polyline(let points, let stroke, let width, let dash, _):
      guard let first = points.first else { return }
      cairo_new_path(cr)
      cairo_move_to(cr, first.x, first.y)
      for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
      setColor(cr, stroke)
      cairo_set_line_width(cr, width)
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
      cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
      dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
      cairo_stroke(cr)
      cairo_set_dash(cr, nil, 0, 0)
    case .rect(let r, let fill, let stroke, let opacity, _):
      cairo_new_path(cr)
      cairo_rectangle(cr, r.x, r.y, r.width, r.height)
      if let fill {
        cairo_set_source_rgba(cr, unit(fill.red), unit(fill.green), unit(fill.blue), opacity)
        if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
      }
      if let stroke {
        setColor(cr, stroke)
        cairo_set_line_width(cr, 1)
        cairo_stroke(cr)
      }
      cairo_new_path(cr)
    case .circle(let center, let radius, let fill, _):
      cairo_new_path(cr)
      cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
      setColor(cr, fill)
      cairo_fill(cr)
    case .text(let text, let at, let size, let anchor, let rotation, let color, let bold, _):
      drawText(cr, text, at: at, size: size, anchor: anchor, rotation: rotation, color: color, bold: bold)
    case .image(let png, let rect):
      try drawImage(cr, png, rect: rect, index: index)
    }
  }

  static func drawText(
    _ cr: OpaquePointer, _ text: String, at: Point, size: Double, anchor: TextAnchor,
    rotation: Double, color: ChartColor, bold: Bool
  ) {
    cairo_select_font_face(
      cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cr, size)
    var extents = cairo_text_extents_t()
    cairo_text_extents(cr, text, &extents)
    let offset: Double
    switch anchor {
    case .start: offset = 0
    case .middle: offset = -extents.x_advance / 2
    case .end: offset = -extents.x_advance
    }
    cairo_save(cr)
    cairo_translate(cr, at.x, at.y)
    cairo_rotate(cr, rotation * Double.pi / 180)
    cairo_move_to(cr, offset, 0)
    setColor(cr, color)
    cairo_show_text(cr, text)
    cairo_restore(cr)
  }

  static func drawImage(_ cr: OpaquePointer, _ png: Data, rect: Rect, index: Int) throws {
    let image: OpaquePointer? = png.withUnsafeBytes { raw in
      wb_cairo_surface_from_png(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
    }
    guard let image else { throw ChartError.badEmbeddedImage(index: index, reason: "no surface") }
    defer { cairo_surface_destroy(image) }
    let status = cairo_surface_status(image)
    guard status == CAIRO_STATUS_SUCCESS else {
      throw ChartError.badEmbeddedImage(index: index, reason: statusText(status))
    }
    let w = Double(cairo_image_surface_get_width(image))
    let h = Double(cairo_image_surface_get_height(image))
    guard w > 0, h > 0 else { return }
    cairo_save(cr)
    cairo_translate(cr, rect.x, rect.y)
    cairo_scale(cr, rect.width / w, rect.height / h)
    cairo_set_source_surface(cr, image, 0, 0)
    // Nearest-neighbour keeps small sample images crisp when enlarged.
    if let pattern = cairo_get_source(cr) { cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST) }
    cairo_paint(cr)
    cairo_restore(cr)
  }

  static func setColor(_ cr: OpaquePointer, _ c: ChartColor) {
    cairo_set_source_rgb(cr, unit(c.red), unit(c.green), unit(c.blue))
  }

  static func unit(_ v: UInt8) -> Double { Double(v) / 255 }

  static func statusText(_ status: cairo_status_t) -> String {
    guard let text = cairo_status_to_string(status) else { return "status \(status.rawValue)" }
    return String(cString: text)
  }

  static func check(_ status: cairo_status_t, _ operation: String) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
      throw ChartError.cairo(operation: operation, status: statusText(status))
    }
  }
}
