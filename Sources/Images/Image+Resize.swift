extension Image {
  /// The image scaled to `width` × `height` with bilinear interpolation (pixel centres aligned,
  /// as in OpenCV's `INTER_LINEAR` and PIL's `BILINEAR` without antialiasing).
  public func resized(width newWidth: Int, height newHeight: Int) -> Image {
    precondition(newWidth > 0 && newHeight > 0, "resized: target must be non-empty")
    if newWidth == width && newHeight == height { return self }
    var out = Image(width: newWidth, height: newHeight, channels: channels)
    guard !isEmpty else { return out }
    let scaleX = Float(width) / Float(newWidth)
    let scaleY = Float(height) / Float(newHeight)
    let xs = (0..<newWidth).map { Image.sourceCoordinate($0, scale: scaleX, limit: width) }
    pixels.withUnsafeBufferPointer { src in
      out.pixels.withUnsafeMutableBufferPointer { dst in
        for y in 0..<newHeight {
          let (y0, y1, fy) = Image.sourceCoordinate(y, scale: scaleY, limit: height)
          let row0 = y0 * width * channels, row1 = y1 * width * channels
          var o = y * newWidth * channels
          for (x0, x1, fx) in xs {
            let a = x0 * channels, b = x1 * channels
            for c in 0..<channels {
              let top = Float(src[row0 + a + c]) * (1 - fx) + Float(src[row0 + b + c]) * fx
              let bottom = Float(src[row1 + a + c]) * (1 - fx) + Float(src[row1 + b + c]) * fx
              dst[o] = UInt8(min(255, max(0, top * (1 - fy) + bottom * fy + 0.5)))
              o += 1
            }
          }
        }
      }
    }
    return out
  }

  /// The two source indices and the weight of the second for output index `i`.
  static func sourceCoordinate(_ i: Int, scale: Float, limit: Int) -> (Int, Int, Float) {
    let position = max(0, (Float(i) + 0.5) * scale - 0.5)
    let lower = min(Int(position), limit - 1)
    let upper = min(lower + 1, limit - 1)
    return (lower, upper, position - Float(lower))
  }

  /// The image with every pixel converted to `channels` channels (gray ↔ RGB via BT.601 luma;
  /// alpha is dropped or set to 255).
  public func converted(toChannels target: Int) -> Image {
    precondition((1...4).contains(target), "converted: channels must be 1...4")
    if target == channels { return self }
    var out = Image(width: width, height: height, channels: target)
    for p in 0..<(width * height) {
      let s = p * channels
      let color =
        channels >= 3
        ? Color(pixels[s], pixels[s + 1], pixels[s + 2]) : Color(gray: pixels[s])
      let alpha: UInt8 = channels == 2 || channels == 4 ? pixels[s + channels - 1] : 255
      var samples = color.samples(channels: target)
      if target == 2 || target == 4 { samples[target - 1] = alpha }
      for c in 0..<target { out.pixels[p * target + c] = samples[c] }
    }
    return out
  }

  /// The image mirrored left to right.
  public func flippedHorizontally() -> Image {
    var out = self
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          out.pixels[index(x: x, y: y, channel: c)] = pixels[index(x: width - 1 - x, y: y, channel: c)]
        }
      }
    }
    return out
  }

  /// The sub-image of `cropWidth` × `cropHeight` pixels whose top-left corner is (`x`, `y`);
  /// parts outside the image are filled with `fill`.
  public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int, fill: UInt8 = 0) -> Image {
    var out = Image(width: cropWidth, height: cropHeight, channels: channels, fill: fill)
    for row in 0..<cropHeight where (0..<height).contains(y + row) {
      for col in 0..<cropWidth where (0..<width).contains(x + col) {
        for c in 0..<channels {
          out.pixels[out.index(x: col, y: row, channel: c)] = pixels[index(x: x + col, y: y + row, channel: c)]
        }
      }
    }
    return out
  }
}
