/// The input and output transforms of ``Winograd`` for one block of tile rows.
///
/// Tile row `r` of the batch is image `r / th`, tile row `r % th`; tile (ty, tx) covers outputs
/// (2ty…2ty+1, 2tx…2tx+1) and reads the padded input rows and columns 2ty−1…2ty+2 and
/// 2tx−1…2tx+2. Both transforms are the same 1-D step applied to rows, then to columns
/// (Bᵀ: d0−d2, d1+d2, d2−d1, d1−d3; Aᵀ: m0+m1+m2, m1−m2−m3), computed for eight
/// neighbouring tiles at once in SIMD lanes; the tiles left over at the end of a row take the
/// same steps one at a time.
struct TileGeometry {
  typealias V8 = SIMD8<Float>
  typealias V16 = SIMD16<Float>
  let c: Int, h: Int, w: Int, th: Int, tw: Int
  /// Tiles in the block: the leading dimension of V and M.
  let tiles: Int

  /// Width of the zero-padded copy of four input rows that the input transform reads: one zero
  /// column on the left, zeros right of the image up to the last tile's reach.
  var stripWidth: Int { 2 * tw + 2 }

  /// V[ξ][c][tile] = (Bᵀ d B)[ξ] for every channel and tile of the tile rows `rows`.
  func transformInput(_ x: UnsafePointer<Float>, rows: Range<Int>, into v: UnsafeMutablePointer<Float>) {
    let pw = stripWidth
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * pw) { buffer in
      guard let strip = buffer.baseAddress else { return }
      strip.initialize(repeating: 0, count: 4 * pw)  // the borders stay zero
      for row in rows {
        let image = row / th, ty = row % th, p = (row - rows.lowerBound) * tw
        for ic in 0..<c {
          let plane = x + (image * c + ic) * h * w
          for k in 0..<4 {
            let iy = 2 * ty - 1 + k
            if iy >= 0 && iy < h {
              (strip + k * pw + 1).update(from: plane + iy * w, count: w)
            } else {
              (strip + k * pw + 1).update(repeating: 0, count: w)
            }
          }
          transformStrip(UnsafePointer(strip), into: v + ic * tiles + p)
        }
      }
    }
  }

  /// (d B) for one row of eight neighbouring tiles: d0…d3 are the padded columns 2tx…2tx+3.
  @inline(__always)
  static func rowStep(_ q: UnsafePointer<Float>) -> (V8, V8, V8, V8) {
    let a = UnsafeRawPointer(q).loadUnaligned(as: V16.self)
    let b = UnsafeRawPointer(q + 2).loadUnaligned(as: V16.self)
    let (d0, d1, d2, d3) = (a.evenHalf, a.oddHalf, b.evenHalf, b.oddHalf)
    return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
  }

  /// One channel's tile row from its padded strip; writes lane tx of V[ξ] at `dst + ξ·c·tiles + tx`.
  @inline(__always)
  private func transformStrip(_ s: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
    let pw = stripWidth, step = c * tiles
    var tx = 0
    while tx + 8 <= tw {
      // h[r][j] = (d B)[r][j] for 8 tiles
      let q = s + 2 * tx
      let r0 = Self.rowStep(q), r1 = Self.rowStep(q + pw), r2 = Self.rowStep(q + 2 * pw), r3 = Self.rowStep(q + 3 * pw)
      @inline(__always) func store(_ xi: Int, _ value: V8) {
        UnsafeMutableRawPointer(dst + xi * step + tx).storeBytes(of: value, as: V8.self)
      }
      // Bᵀ over rows, column j of the tile at ξ = 4i + j
      store(0, r0.0 - r2.0)
      store(1, r0.1 - r2.1)
      store(2, r0.2 - r2.2)
      store(3, r0.3 - r2.3)
      store(4, r1.0 + r2.0)
      store(5, r1.1 + r2.1)
      store(6, r1.2 + r2.2)
      store(7, r1.3 + r2.3)
      store(8, r2.0 - r1.0)
      store(9, r2.1 - r1.1)
      store(10, r2.2 - r1.2)
      store(11, r2.3 - r1.3)
      store(12, r1.0 - r3.0)
      store(13, r1.1 - r3.1)
      store(14, r1.2 - r3.2)
      store(15, r1.3 - r3.3)
      tx += 8
    }
    while tx < tw {
      func rowStep(_ r: Int) -> (Float, Float, Float, Float) {
        let q = s + r * pw + 2 * tx
        return (q[0] - q[2], q[1] + q[2], q[2] - q[1], q[1] - q[3])
      }
      let r0 = rowStep(0), r1 = rowStep(1), r2 = rowStep(2), r3 = rowStep(3)
      let d = dst + tx
      d[0] = r0.0 - r2.0
      d[step] = r0.1 - r2.1
      d[2 * step] = r0.2 - r2.2
      d[3 * step] = r0.3 - r2.3
      d[4 * step] = r1.0 + r2.0
      d[5 * step] = r1.1 + r2.1
      d[6 * step] = r1.2 + r2.2
      d[7 * step] = r1.3 + r2.3
      d[8 * step] = r2.0 - r1.0
      d[9 * step] = r2.1 - r1.1
      d[10 * step] = r2.2 - r1.2
      d[11 * step] = r2.3 - r1.3
      d[12 * step] = r1.0 - r3.0
      d[13 * step] = r1.1 - r3.1
      d[14 * step] = r1.2 - r3.2
      d[15 * step] = r1.3 - r3.3
      tx += 1
    }
  }
}

extension TileGeometry {
  /// out[image][oc] rows 2ty, 2ty+1 = (Aᵀ M A) + bias, then the epilogue, for every output channel and tile of the
  /// tile rows `rows`; outputs beyond an odd height or width are not written.
  func transformOutput(
    _ m: UnsafePointer<Float>, o: Int, bias: UnsafePointer<Float>?, epilogue: Conv2D.Epilogue? = nil,
    rows: Range<Int>, into out: UnsafeMutablePointer<Float>
  ) {
    let step = o * tiles
    for row in rows {
      let image = row / th, ty = row % th, p = (row - rows.lowerBound) * tw
      let secondRow = 2 * ty + 1 < h
      for oc in 0..<o {
        let src = m + oc * tiles + p
        let b = bias?[oc] ?? 0
        let top = out + ((image * o + oc) * h + 2 * ty) * w
        var tx = 0
        while 2 * (tx + 8) <= w {
          @inline(__always) func load(_ xi: Int) -> V8 {
            UnsafeRawPointer(src + xi * step + tx).loadUnaligned(as: V8.self)
          }
          // Aᵀ over rows (t0 = m0+m1+m2, t1 = m1−m2−m3), then over columns
          let t0 = (
            load(0) + load(4) + load(8), load(1) + load(5) + load(9), load(2) + load(6) + load(10),
            load(3) + load(7) + load(11)
          )
          let t1 = (
            load(4) - load(8) - load(12), load(5) - load(9) - load(13), load(6) - load(10) - load(14),
            load(7) - load(11) - load(15)
          )
          let bv = V8(repeating: b)
          let y00 = t0.0 + t0.1 + t0.2 + bv, y01 = t0.1 - t0.2 - t0.3 + bv
          UnsafeMutableRawPointer(top + 2 * tx).storeBytes(of: Self.interleave(y00, y01), as: V16.self)
          if secondRow {
            let y10 = t1.0 + t1.1 + t1.2 + bv, y11 = t1.1 - t1.2 - t1.3 + bv
            UnsafeMutableRawPointer(top + w + 2 * tx).storeBytes(of: Self.interleave(y10, y11), as: V16.self)
          }
          tx += 8
        }
        while tx < tw {
          @inline(__always) func load(_ xi: Int) -> Float { src[xi * step + tx] }
          let t0 = (
            load(0) + load(4) + load(8), load(1) + load(5) + load(9), load(2) + load(6) + load(10),
            load(3) + load(7) + load(11)
          )
          let t1 = (
            load(4) - load(8) - load(12), load(5) - load(9) - load(13), load(6) - load(10) - load(14),
            load(7) - load(11) - load(15)
          )
          let secondColumn = 2 * tx + 1 < w
          top[2 * tx] = t0.0 + t0.1 + t0.2 + b
          if secondColumn { top[2 * tx + 1] = t0.1 - t0.2 - t0.3 + b }
          if secondRow {
            top[w + 2 * tx] = t1.0 + t1.1 + t1.2 + b
            if secondColumn { top[w + 2 * tx + 1] = t1.1 - t1.2 - t1.3 + b }
          }
          tx += 1
        }
        if let epilogue {  // the one or two output rows just written, still in cache
          epilogue.apply(top, secondRow ? 2 * w : w, channel: oc)
        }
      }
    }
  }

  /// (a0, b0, a1, b1, …, a7, b7).
  @inline(__always)
  static func interleave(_ a: V8, _ b: V8) -> V16 {
    V16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
  }
}
