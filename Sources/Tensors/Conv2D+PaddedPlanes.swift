/// The zero-padded input planes of the direct kernels (`Conv2D+DirectForward.swift`,
/// `Conv2D+DirectRuns.swift`, `Conv2D+DirectWeightGradient.swift`): input row iy of a channel
/// at row iy + padTop of its plane, from column padLeft, rows `width` floats apart (the row
/// tiles' whole cache lines, the runs' ow + 1, the weight gradient's ow + kW − 1). The padding
/// is the same for every image, so a plane is zeroed once per chunk of images and each image's
/// rows copied over it.
extension Conv2D {
  /// Copies `count` floats: whole 8-wide vectors, the last ending at the last float (it may
  /// overlap the one before), element by element below 8. Inlined where a row is copied, for
  /// rows of tens of floats a library `memmove` call costs as much as the copy.
  @inline(__always)
  static func copyRow(_ from: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, count: Int) {
    typealias V = SIMD8<Float>
    guard count >= 8 else {
      for l in 0..<count { to[l] = from[l] }
      return
    }
    let (source, target) = (UnsafeRawPointer(from), UnsafeMutableRawPointer(to))
    var byte = 0
    while byte < 4 * (count - 8) {
      target.storeBytes(of: source.loadUnaligned(fromByteOffset: byte, as: V.self), toByteOffset: byte, as: V.self)
      byte += 32
    }
    let last = 4 * (count - 8)
    target.storeBytes(of: source.loadUnaligned(fromByteOffset: last, as: V.self), toByteOffset: last, as: V.self)
  }

  /// Copies one input channel's rows (`x`, [H, W]) into `xp` at their place in its zero-padded
  /// plane (rows `width` apart): row r, column c of `xp` becomes x[r − padTop, c − padLeft]
  /// wherever that is inside the image, and nothing else is written (the zeros were written
  /// again for every plane, in three library calls per row, before). The copy remains ≈ 8 % of
  /// the 3→8 @96 forward's samples: it is where the input is read from memory.
  static func padPlane(
    _ x: UnsafePointer<Float>, _ G: Geometry, _ p: Conv2DParameters, into xp: UnsafeMutablePointer<Float>, width: Int
  ) {
    let first = min(p.padLeft, width), count = max(0, min(G.w, width - first))
    guard count > 0 else { return }
    for r in 0..<(G.oh + G.kh - 1) {
      let iy = r - p.padTop
      guard iy >= 0 && iy < G.h else { continue }
      copyRow(x + iy * G.w, to: xp + r * width + first, count: count)
    }
  }

  /// Zeroes `count` floats at `p`: whole 8-wide vectors, the last ending at the last float,
  /// element by element below 8 (as ``copyRow(_:to:count:)`` copies). The gaps between a
  /// plane's rows are tens of floats: a library `memset` call per gap was 1.8% of the 3→8 @96
  /// forward's samples.
  @inline(__always)
  static func zeroFloats(_ p: UnsafeMutablePointer<Float>, count: Int) {
    guard count >= 8 else {
      for l in 0..<count { p[l] = 0 }
      return
    }
    let target = UnsafeMutableRawPointer(p)
    var byte = 0
    while byte < 4 * (count - 8) {
      target.storeBytes(of: SIMD8<Float>(), toByteOffset: byte, as: SIMD8<Float>.self)
      byte += 32
    }
    target.storeBytes(of: SIMD8<Float>(), toByteOffset: 4 * (count - 8), as: SIMD8<Float>.self)
  }

  /// Zeroes every float of a padded plane (`planeSize` floats, rows `width` apart) that
  /// ``padPlane(_:_:_:into:width:)`` leaves unwritten when the image's rows fit the plane's
  /// rows whole — and only those (with whole planes zeroed, `memset` was 2.3 % of the 3→8 @96
  /// forward's samples; 1.2–1.8 % with a `memset` per gap).
  static func zeroAroundRows(
    _ G: Geometry, _ p: Conv2DParameters, width: Int, planeSize: Int, into xp: UnsafeMutablePointer<Float>
  ) {
    var next = 0  // the first float neither zeroed nor a row's
    for iy in 0..<G.h {
      let start = (iy + p.padTop) * width + p.padLeft
      zeroFloats(xp + next, count: start - next)
      next = start + G.w
    }
    zeroFloats(xp + next, count: planeSize - next)
  }
}
