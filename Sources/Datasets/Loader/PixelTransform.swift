import Geometry
import Tensors

/// The per-image sampling and colour mapping the loader applies while writing a tensor.
///
/// Geometry is an axis-aligned affine map between normalised output and source coordinates
/// (letterbox, zoom, shift and flip compose into one), so it moves boxes exactly. Colour jitter,
/// grayscale conversion and normalisation are all linear in RGB, so they compose into one
/// `outChannels × inChannels` matrix plus offset, applied once per pixel.
struct PixelTransform {
  /// Output x = scaleX * source x + offsetX (normalised coordinates), likewise for y.
  var scaleX: Float = 1, offsetX: Float = 0, scaleY: Float = 1, offsetY: Float = 0
  /// Colour matrix (row-major, out × in) applied to samples in 0...1, then the offset.
  var matrix: [Float]
  var offset: [Float]

  /// Whether output pixels map one-to-one onto source pixels.
  func isIdentityGeometry(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) -> Bool {
    scaleX == 1 && scaleY == 1 && offsetX == 0 && offsetY == 0 && sourceWidth == width && sourceHeight == height
  }

  /// Maps a box to the output; `nil` when too little of it stays visible.
  func map(_ box: Box, minVisibility: Float) -> Box? {
    if scaleX == 1 && scaleY == 1 && offsetX == 0 && offsetY == 0 { return box }
    var x0 = scaleX * box.x0 + offsetX, x1 = scaleX * box.x1 + offsetX
    if x0 > x1 { swap(&x0, &x1) }
    let y0 = scaleY * box.y0 + offsetY, y1 = scaleY * box.y1 + offsetY
    let full = (x1 - x0) * (y1 - y0)
    let moved = Box(classIndex: box.classIndex, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, w: x1 - x0, h: y1 - y0)
    guard full > 0, let clipped = moved.clipped() else { return nil }
    return clipped.w * clipped.h >= minVisibility * full ? clipped : nil
  }

  /// Writes the transformed image into `out` (planar CHW, `outChannels × height × width`).
  func apply(
    source: UnsafeBufferPointer<UInt8>, sourceWidth sw: Int, sourceHeight sh: Int, sourceChannels ic: Int,
    into out: UnsafeMutableBufferPointer<Float>, width: Int, height: Int, outChannels oc: Int, fill: Float
  ) {
    let plane = width * height
    // Rows of the colour matrix as SIMD4 over input channels (unused lanes are zero).
    var rows = [SIMD4<Float>](repeating: .zero, count: 3)
    for c in 0..<oc { for k in 0..<ic { rows[c][k] = matrix[c * ic + k] / 255 } }
    let (row0, row1, row2) = (rows[0], rows[1], rows[2])
    let (bias0, bias1, bias2) = (offset[0], oc > 1 ? offset[1] : 0, oc > 2 ? offset[2] : 0)
    let fillPixel = SIMD4<Float>(repeating: fill * 255)
    guard let base = out.baseAddress, let src = source.baseAddress, plane > 0 else { return }
    @inline(__always) func write(_ pixel: SIMD4<Float>, _ p: Int) {
      base[p] = (row0 * pixel).sum() + bias0
      if oc == 3 {
        base[plane + p] = (row1 * pixel).sum() + bias1
        base[2 * plane + p] = (row2 * pixel).sum() + bias2
      }
    }
    @inline(__always) func load(_ index: Int) -> SIMD4<Float> {
      switch ic {
      case 1: return SIMD4(Float(src[index]), 0, 0, 0)
      case 3: return SIMD4(Float(src[index]), Float(src[index + 1]), Float(src[index + 2]), 0)
      default:
        var v = SIMD4<Float>.zero
        for k in 0..<ic { v[k] = Float(src[index + k]) }
        return v
      }
    }
    if isIdentityGeometry(sourceWidth: sw, sourceHeight: sh, width: width, height: height) {
      for p in 0..<plane { write(load(p * ic), p) }
      return
    }
    // Output pixel centre (ox + 0.5) / width = scaleX * (sx + 0.5) / sw + offsetX.
    let ax = Float(sw) / (scaleX * Float(width)), bx = -offsetX * Float(sw) / scaleX - 0.5
    let ay = Float(sh) / (scaleY * Float(height)), by = -offsetY * Float(sh) / scaleY - 0.5
    let maxX = Float(sw) - 0.5, maxY = Float(sh) - 0.5
    for oy in 0..<height {
      let sy = (Float(oy) + 0.5) * ay + by
      let y0 = Int(sy + 1) - 1, fy = sy - Float(y0)  // floor for sy > -1
      let ya = min(max(y0, 0), sh - 1), yb = min(max(y0 + 1, 0), sh - 1)
      let r0 = ya * sw, r1 = yb * sw
      let rowInside = sy >= -0.5 && sy <= maxY
      for ox in 0..<width {
        let p = oy * width + ox
        let sx = (Float(ox) + 0.5) * ax + bx
        guard rowInside, sx >= -0.5, sx <= maxX else {
          write(fillPixel, p)
          continue
        }
        let x0 = Int(sx + 1) - 1, fx = sx - Float(x0)
        let xa = min(max(x0, 0), sw - 1), xb = min(max(x0 + 1, 0), sw - 1)
        let top = load((r0 + xa) * ic) * (1 - fx) + load((r0 + xb) * ic) * fx
        let bottom = load((r1 + xa) * ic) * (1 - fx) + load((r1 + xb) * ic) * fx
        write(top * (1 - fy) + bottom * fy, p)
      }
    }
  }
}
