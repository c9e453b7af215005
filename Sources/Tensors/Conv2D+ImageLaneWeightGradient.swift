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
    // for each tap, the (output, input) positions where it falls inside the map
    var taps = [[(Int, Int)]](repeating: [], count: 9)
    for (p, list) in laneTaps(h: G.h, w: G.w).enumerated() {
      for (t, q) in list { taps[t].append((p, q)) }
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
            packPositionMajor(yb, channels: G.o, width: laneRows, G, into: ap)
            packPositionMajor(xb, channels: G.c, width: laneColumns, G, into: bp)
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

  /// `src` [N, channels, H, W] as [block of `width` channels][position][image][width], channels
  /// past the last zero.
  static func packPositionMajor(
    _ src: UnsafePointer<Float>, channels: Int, width: Int, _ G: Geometry, into dst: SendablePointer<Float>
  ) {
    let hw = G.hw, blocks = (channels + width - 1) / width
    Parallel.forEachChunk(Parallel.chunks(blocks)) { _, range in
      // a whole row of `width` channels at a time: each written run is complete at once
      for block in range {
        let count = min(width, channels - block * width)
        for p in 0..<hw {
          for n in 0..<G.n {
            let (row, plane) = (
              dst.p + ((block * hw + p) * G.n + n) * width, src + (n * channels + block * width) * hw + p
            )
            for l in 0..<count { row[l] = plane[l * hw] }
            for l in count..<width { row[l] = 0 }
          }
        }
      }
    }
  }

  /// One tap's 6 × 16 weight-gradient tile into `tile` (row-major): the sum over `positions`
  /// (output position p, input position q) and `images` of a[p][n][r] × b[q][n][0..<16].
  @inline(never)
  static func laneGradientTile(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, positions: [(Int, Int)], images: Int,
    into tile: UnsafeMutablePointer<Float>
  ) {
    var sums = LaneSums()
    for (p, q) in positions {
      var ap = a + p * images * laneRows
      var bp = UnsafeRawPointer(b + q * images * laneColumns)
      for _ in 0..<images {
        sums.add(ap, bp)
        ap += laneRows
        bp += 64
      }
    }
    sums.store(tile)
  }
}
