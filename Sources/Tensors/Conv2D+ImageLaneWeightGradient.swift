/// The weight gradient of the image-lane layers (`Conv2D+ImageLanes.swift`).
extension Conv2D {
  /// Input channels per weight-gradient tile: two 8-wide vectors.
  static let laneColumns = 16

  /// The weight gradient [O, C, 3, 3] of a ``usesImageLanes(_:_:)`` layer for the output
  /// gradient `dy` [N, O, H, W]: each tap's [O × C] block is Σ over its valid positions p and
  /// the images n of dy[n, o, p] · x[n, c, p + tap], in tiles of 6 output × 16 input channels
  /// (12 accumulators, 6 broadcasts and two input vectors per step), padding never multiplied.
  /// Each element is one sum in a fixed order (positions, then images), computed by one tile.
  static func laneWeightGradient(_ dy: Tensor<Float>, input x: Tensor<Float>, _ G: Geometry) -> Tensor<Float> {
    let hw = G.hw, panels = (G.o + laneRows - 1) / laneRows
    let columnBlocks = (G.c + laneColumns - 1) / laneColumns
    let taps = (0..<9).map { t in
      laneTaps(h: G.h, w: G.w).enumerated().compactMap { p, list in
        list.first { $0.tap == t }.map { (p, $0.position) }
      }
    }
    // dy as [panel][position][image][6] (rows past O zero), x as [column block][position][image][16]
    var a = [Float].uninitialized(count: panels * hw * G.n * laneRows)
    var b = [Float].uninitialized(count: columnBlocks * hw * G.n * laneColumns)
    var dw = [Float].uninitialized(count: G.o * G.c * 9)  // every element is written below
    dy.scalars.withBase { yb in
      x.scalars.withBase { xb in
        a.withMutableBase { pa in
          b.withMutableBase { pb in
            let (ap, bp) = (SendablePointer(pa), SendablePointer(pb))
            Parallel.forEachChunk(Parallel.chunks(panels)) { _, range in
              for panel in range {
                for r in 0..<laneRows {
                  let o = panel * laneRows + r
                  for n in 0..<G.n {
                    let dst = ap.p + (panel * hw * G.n + n) * laneRows + r
                    if o < G.o {
                      let src = yb + (n * G.o + o) * hw
                      for p in 0..<hw { dst[p * G.n * laneRows] = src[p] }
                    } else {
                      for p in 0..<hw { dst[p * G.n * laneRows] = 0 }
                    }
                  }
                }
              }
            }
            Parallel.forEachChunk(Parallel.chunks(columnBlocks)) { _, range in
              for block in range {
                for l in 0..<laneColumns {
                  let c = block * laneColumns + l
                  for n in 0..<G.n {
                    let dst = bp.p + (block * hw * G.n + n) * laneColumns + l
                    if c < G.c {
                      let src = xb + (n * G.c + c) * hw
                      for p in 0..<hw { dst[p * G.n * laneColumns] = src[p] }
                    } else {
                      for p in 0..<hw { dst[p * G.n * laneColumns] = 0 }
                    }
                  }
                }
              }
            }
            dw.withMutableBase { pd in
              let d = SendablePointer(pd)
              // items are (column block, span of panels), one chunk each
              let spans = Parallel.chunks(panels, maxChunks: (laneMinimumItems + columnBlocks - 1) / columnBlocks)
              let items = columnBlocks * spans.count
              Parallel.forEachChunk(Parallel.chunks(items, maxChunks: items)) { _, range in
                var tiles = [Float].uninitialized(count: 9 * laneRows * laneColumns)
                tiles.withMutableBase { pt in
                  for item in range {
                    let (block, span) = (item / spans.count, spans[item % spans.count])
                    let bBase = UnsafePointer(bp.p + block * hw * G.n * laneColumns)
                    for panel in span {
                      let aBase = UnsafePointer(ap.p + panel * hw * G.n * laneRows)
                      for t in 0..<9 {
                        laneGradientTile(
                          aBase, bBase, positions: taps[t], images: G.n, into: pt + t * laneRows * laneColumns)
                      }
                      for r in 0..<laneRows where panel * laneRows + r < G.o {
                        for l in 0..<laneColumns where block * laneColumns + l < G.c {
                          let dst = d.p + ((panel * laneRows + r) * G.c + block * laneColumns + l) * 9
                          for t in 0..<9 { dst[t] = pt[(t * laneRows + r) * laneColumns + l] }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [G.o, G.c, 3, 3], scalars: dw)
  }

  /// One tap's 6 × 16 weight-gradient tile into `tile` (row-major): the sum over `positions`
  /// (output position p, input position q) and `images` of a[p][n][r] × b[q][n][0..<16].
  @inline(never)
  static func laneGradientTile(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, positions: [(Int, Int)], images: Int,
    into tile: UnsafeMutablePointer<Float>
  ) {
    typealias V = SIMD8<Float>
    var (c00, c01, c10, c11, c20, c21) = (V(), V(), V(), V(), V(), V())
    var (c30, c31, c40, c41, c50, c51) = (V(), V(), V(), V(), V(), V())
    for (p, q) in positions {
      var ap = a + p * images * laneRows
      var bp = UnsafeRawPointer(b + q * images * laneColumns)
      for _ in 0..<images {
        let (b0, b1) = (bp.loadUnaligned(as: V.self), bp.loadUnaligned(fromByteOffset: 32, as: V.self))
        var s = V(repeating: ap[0])
        c00.addProduct(s, b0); c01.addProduct(s, b1)
        s = V(repeating: ap[1])
        c10.addProduct(s, b0); c11.addProduct(s, b1)
        s = V(repeating: ap[2])
        c20.addProduct(s, b0); c21.addProduct(s, b1)
        s = V(repeating: ap[3])
        c30.addProduct(s, b0); c31.addProduct(s, b1)
        s = V(repeating: ap[4])
        c40.addProduct(s, b0); c41.addProduct(s, b1)
        s = V(repeating: ap[5])
        c50.addProduct(s, b0); c51.addProduct(s, b1)
        ap += laneRows
        bp += 64
      }
    }
    let c = UnsafeMutableRawPointer(tile)
    c.storeBytes(of: c00, as: V.self); c.storeBytes(of: c01, toByteOffset: 32, as: V.self)
    c.storeBytes(of: c10, toByteOffset: 64, as: V.self); c.storeBytes(of: c11, toByteOffset: 96, as: V.self)
    c.storeBytes(of: c20, toByteOffset: 128, as: V.self); c.storeBytes(of: c21, toByteOffset: 160, as: V.self)
    c.storeBytes(of: c30, toByteOffset: 192, as: V.self); c.storeBytes(of: c31, toByteOffset: 224, as: V.self)
    c.storeBytes(of: c40, toByteOffset: 256, as: V.self); c.storeBytes(of: c41, toByteOffset: 288, as: V.self)
    c.storeBytes(of: c50, toByteOffset: 320, as: V.self); c.storeBytes(of: c51, toByteOffset: 352, as: V.self)
  }
}
