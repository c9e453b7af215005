extension V3CPUKernels {
  /// `QUANTIZE` of one value: `roundf((x − bias) · (1/scale))` clamped to 0…255 (NaN → 0), as the
  /// SDK computes it.
  static func quantize(_ x: Float, scale: Float, bias: Float) -> UInt8 {
    let v = ((x - bias) * (1 / scale)).rounded()
    return v.isNaN || v < 0 ? 0 : v > 255 ? 255 : UInt8(v)
  }

  /// `DEQUANTIZE` of one code: `q · scale + bias` in single precision.
  static func dequantize(_ q: UInt8, scale: Float, bias: Float) -> Float { Float(q) * scale + bias }

  /// Whether a layer is a nearest resize of uint8 codes to exactly twice the width and height,
  /// which the 2× fast path (``upsample2x(_:_:)``) runs.
  static func isExactUpsample2x(_ layer: KModelV3Layer) -> Bool {
    guard case let .resizeNearestNeighbor(_, _, s, w, h, align, quantized) = layer else { return false }
    return quantized && align == 0 && w == 2 * s.width && h == 2 * s.height
  }

  /// The 2× nearest upsampling fast path on uint8 codes: each source pixel is written to a 2×2
  /// block of the output (no per-pixel index arithmetic, one load per source pixel). Equal to
  /// the general kernel (``resizeNearestIndex(_:outWidth:outHeight:)``) for an exact 2× resize,
  /// where `floor(o · in/out)` is `o / 2`.
  static func upsample2x(_ x: [UInt8], _ s: KModelV3Shape) -> [UInt8] {
    let (w, h) = (s.width, s.height)
    var out = [UInt8](repeating: 0, count: 4 * x.count)
    out.withUnsafeMutableBufferPointer { o in
      for c in 0..<s.channels {
        for y in 0..<h {
          let row = (c * 2 * h + 2 * y) * 2 * w
          for i in 0..<w {
            let v = x[(c * h + y) * w + i]
            (o[row + 2 * i], o[row + 2 * i + 1]) = (v, v)
            (o[row + 2 * w + 2 * i], o[row + 2 * w + 2 * i + 1]) = (v, v)
          }
        }
      }
    }
    return out
  }
}
