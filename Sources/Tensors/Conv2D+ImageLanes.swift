/// 3×3, stride-1, padding-1 convolutions of small maps (6×6 and less, 8×8 with 64 channels
/// or more: the deepest layers of detectors) with the batch's images as vector lanes, summing only the taps that fall inside
/// the map.
///
/// On a 3×3 map, 40 % of im2col's product multiplies padding zeros (21 % on 6×6, 56 % on
/// 2×2), and sgemm cannot skip them: its columns mix positions whose valid taps differ. Here
/// every output position is one column class: a tile is 6 output channels × 16 images (two
/// 8-wide vectors per channel, 12 accumulators) at one position, summed over that position's
/// valid taps only, each tap a run of `depth` multiply-adds reading the weights packed as
/// [panel of 6 channels][tap][depth][6] and the input as [group of 16 images][position][depth][16]
/// — no im2col, and no zero is multiplied. The same sums give the input gradient (the convolution
/// of the output gradient with the transposed, flipped weight).
///
/// Every output is one fixed-order sum (taps in weight order, then channels), computed by one
/// tile, so results do not depend on the number of cores.
extension Conv2D {
  /// Images per lane group: two 8-wide vectors.
  static let laneImages = 16
  /// Output rows (channels) per tile.
  static let laneRows = 6
  /// The largest map (H·W) that takes this path.
  static let laneMaxPositions = 36
  /// Maps of at most this many rows and columns (7×7, 8×8; wider maps take the direct kernels or
  /// im2col) take the path when both channel counts are at least ``laneDeepChannels``.
  /// Alternating both paths (best of 2,000 calls, batch 16 unless noted): 64→128 at 8×8, batch
  /// 32, forward 1.80 → 1.62 ms and backward 3.73 → 3.47;
  /// 128→256 at 8×8 forward 3.38 → 2.78, backward 6.97 → 6.18; 128→128 forward 1.82 → 1.60,
  /// backward 3.90 → 3.49; but 32→64 at 8×8 even (forward faster, backward slower) and 16→32
  /// 1.5–1.8× slower: with few channels a tile's taps are short runs. At 12×12 the path was
  /// even (64→128: forward 2.01 → 1.93 ms, backward 4.15 → 4.23) or slower (32→64: forward
  /// 0.56 → 0.61, backward 1.15 → 1.39).
  static let laneDeepMaxSide = 8
  /// See ``laneDeepMaxSide``.
  static let laneDeepChannels = 64
  /// The packed weights of one block of panels (a part of the work) stay within this many
  /// bytes (in L2, while every position and tap of the block reads them).
  static let laneBlockBytes = 192 * 1024
  /// Layers are cut into at least this many parts (when they have as many positions), so that
  /// both cores stay busy to the end.
  static let laneMinimumItems = 8

  /// Whether ``laneForward`` and ``laneInputGradient`` compute this layer: one group, a 3×3
  /// kernel with stride 1, dilation 1 and padding 1 on every side, a batch of a multiple of 16
  /// images and maps of at most ``laneMaxPositions`` positions (``laneDeepMaxSide`` rows and
  /// columns with at least ``laneDeepChannels`` input and output channels).
  static func usesImageLanes(_ G: Geometry, _ p: Conv2DParameters) -> Bool {
    let small =
      G.h * G.w <= laneMaxPositions
      || (max(G.h, G.w) <= laneDeepMaxSide && min(G.c, G.o) >= laneDeepChannels)
    return G.g == 1 && G.kh == 3 && G.kw == 3 && G.n > 0 && G.n % laneImages == 0 && G.c > 0 && G.o > 0 && small
      && p == Conv2DParameters(padding: 1)
  }

  /// The forward pass (``usesImageLanes(_:_:)``): `x` [N, C, H, W] with `weight` [O, C, 3, 3],
  /// plus `bias`, then `epilogue`, as the im2col paths apply them.
  static func laneForward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ G: Geometry, epilogue: Epilogue?
  ) -> Tensor<Float> {
    let sums = laneSums(x, weight, transposed: false, G)
    let (ph, pw) = epilogue?.planeSize(G.oh, G.ow) ?? (G.oh, G.ow)
    var out = [Float].uninitialized(count: G.n * G.o * ph * pw)  // every element is written below
    sums.withBase { ps in
      out.withMutableBase { po in
        let (r, o) = (SendablePointer(UnsafeMutablePointer(mutating: ps)), SendablePointer(po))
        Parallel.forEachChunk(Parallel.chunks(G.o, maxChunks: productChunks)) { _, channels in
          // one group's 16 planes of a channel, then a finished plane before it is pooled
          var planes = [Float].uninitialized(count: (laneImages + 1) * G.hw)
          planes.withMutableBase { pp in
            for oc in channels {
              let b = bias?.scalars[oc] ?? 0
              for g in 0..<G.n / laneImages {
                unpackLanes(r.p + oc * G.n * G.hw + g * G.hw * laneImages, G.hw, into: pp, imageStride: G.hw)
                for lane in 0..<laneImages {
                  let dst = o.p + ((g * laneImages + lane) * G.o + oc) * ph * pw
                  finish(pp + lane * G.hw, plus: b, epilogue, G, channel: oc, plane: pp + laneImages * G.hw, into: dst)
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [G.n, G.o, ph, pw], scalars: out)
  }

  /// The input gradient (``usesImageLanes(_:_:)``) for the output gradient `dy` [N, O, H, W].
  static func laneInputGradient(_ dy: Tensor<Float>, weight: Tensor<Float>, _ G: Geometry) -> Tensor<Float> {
    let sums = laneSums(dy, weight, transposed: true, G)
    var dx = [Float].uninitialized(count: G.n * G.c * G.hw)  // every element is written, as NCHW
    sums.withBase { ps in
      dx.withMutableBase { pdx in
        let (r, d) = (SendablePointer(UnsafeMutablePointer(mutating: ps)), SendablePointer(pdx))
        Parallel.forEachChunk(Parallel.chunks(G.c, maxChunks: productChunks)) { _, channels in
          for ic in channels {
            for g in 0..<G.n / laneImages {
              unpackLanes(
                r.p + ic * G.n * G.hw + g * G.hw * laneImages, G.hw,
                into: d.p + (g * laneImages * G.c + ic) * G.hw, imageStride: G.c * G.hw)
            }
          }
        }
      }
    }
    return Tensor(shape: [G.n, G.c, G.h, G.w], scalars: dx)
  }

  /// One group's sums of a row ([position][16 images], ``laneSums(_:_:transposed:_:)``) as 16
  /// planes of `hw` positions, `imageStride` apart from `out`.
  @inline(__always)
  static func unpackLanes(
    _ block: UnsafePointer<Float>, _ hw: Int, into out: UnsafeMutablePointer<Float>, imageStride: Int
  ) {
    for p in 0..<hw {
      let (a, b) = (
        UnsafeRawPointer(block + p * laneImages).loadUnaligned(as: SIMD8<Float>.self),
        UnsafeRawPointer(block + p * laneImages + 8).loadUnaligned(as: SIMD8<Float>.self)
      )
      for lane in 0..<8 {
        out[lane * imageStride + p] = a[lane]
        out[(lane + 8) * imageStride + p] = b[lane]
      }
    }
  }

  /// The sums of one ``usesImageLanes(_:_:)`` layer as [row][group of 16 images][position][16]
  /// (rows padded to whole panels of 6): with `transposed` false, rows are the O output
  /// channels and `x` the input [N, C, H, W]; with `transposed`, rows are the C input channels,
  /// `x` the output gradient [N, O, H, W] and the weight is read transposed and flipped (the
  /// input gradient). Each tile writes its 6 rows' 16 lanes as whole vectors; the callers
  /// unpack the lanes to NCHW one cache-resident block at a time (scattered from the tile, one
  /// float per image plane, the stores were a fifth of a 64→128 6×6 layer's forward).
  static func laneSums(_ input: Tensor<Float>, _ weight: Tensor<Float>, transposed: Bool, _ G: Geometry) -> [Float] {
    let (rows, depth) = transposed ? (G.c, G.o) : (G.o, G.c)
    let panels = (rows + laneRows - 1) / laneRows
    var result = [Float].uninitialized(count: panels * laneRows * G.n * G.hw)  // every element is written
    input.scalars.withBase { x in
      weight.scalars.withBase { w in
        result.withMutableBase { r in
          laneSums(x, w, transposed: transposed, G, depth: depth, panels: panels, into: r)
        }
      }
    }
    return result
  }

  /// ``laneSums(_:_:transposed:_:)`` into `result`.
  private static func laneSums(
    _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, transposed: Bool, _ G: Geometry, depth: Int, panels: Int,
    into result: UnsafeMutablePointer<Float>
  ) {
    let hw = G.hw, groups = G.n / laneImages, rowPitch = G.n * hw
    let panelFloats = 9 * depth * laneRows
    let block = max(1, min(panels, laneBlockBytes / (4 * panelFloats)))
    let blocks = (panels + block - 1) / block
    let taps = laneTaps(h: G.h, w: G.w)
    var packed = [Float].uninitialized(count: G.n * depth * hw)  // [group][position][depth][16]
    var weights = [Float].uninitialized(count: panels * panelFloats)  // [panel][tap][depth][6]
    packed.withMutableBase { pp in
      weights.withMutableBase { pw in
        let (xp, wp) = (SendablePointer(pp), SendablePointer(pw))
        // a whole 16-image row at a time: each written cache line is complete at once
        Parallel.forEachChunk(Parallel.chunks(depth)) { _, channels in
          for k in channels {
            for g in 0..<groups {
              let src = x + (g * laneImages * depth + k) * hw, dst = xp.p + (g * hw * depth + k) * laneImages
              for q in 0..<hw {
                let row = dst + q * depth * laneImages
                for lane in 0..<laneImages { row[lane] = src[lane * depth * hw + q] }
              }
            }
          }
        }
        Parallel.forEachChunk(Parallel.chunks(panels)) { _, range in
          packLaneWeights(w, transposed: transposed, G, panels: range, into: wp.p + range.lowerBound * panelFloats)
        }
        let (out, input, a) = (SendablePointer(result), UnsafePointer(pp), UnsafePointer(pw))
        // items are (block of panels, group, span of positions), one chunk each (the last one to
        // finish leaves the other core idle for at most one item); layers with few blocks and
        // groups are split by positions too
        let spans = Parallel.chunks(hw, maxChunks: (laneMinimumItems + blocks * groups - 1) / (blocks * groups))
        let items = blocks * groups * spans.count
        Parallel.forEachChunk(Parallel.chunks(items, maxChunks: items)) { _, items in
          for item in items {
            let (b, g, span) = (item / (groups * spans.count), item / spans.count % groups, spans[item % spans.count])
            let first = b * block, count = min(block, panels - first)
            let (groupBase, blockBase) = (input + g * hw * depth * laneImages, a + first * panelFloats)
            for p in span {
              let target = out.p + (g * hw + p) * laneImages
              for j in 0..<count {
                laneTile(
                  blockBase + j * panelFloats, groupBase, taps[p], depth, target + (first + j) * laneRows * rowPitch,
                  rowPitch: rowPitch)
              }
            }
          }
        }
      }
    }
  }

  /// For every output position of an h×w map, its valid taps (index 0–8 in weight order) and
  /// the input position each reads.
  static func laneTaps(h: Int, w: Int) -> [[(tap: Int, position: Int)]] {
    (0..<(h * w)).map { p in
      let (y, x) = (p / w, p % w)
      return (0..<9).compactMap { t in
        let (iy, ix) = (y + t / 3 - 1, x + t % 3 - 1)
        return iy >= 0 && iy < h && ix >= 0 && ix < w ? (t, iy * w + ix) : nil
      }
    }
  }

  /// Packs the weight rows of `panels` (6 rows each; rows past the last are zero) as
  /// [panel][tap][depth][6]: row r, depth k, tap t is weight[r, k, t] (forward) or
  /// weight[k, r, 8 − t] (`transposed`: the input gradient's flipped, transposed kernel).
  static func packLaneWeights(
    _ w: UnsafePointer<Float>, transposed: Bool, _ G: Geometry, panels: Range<Int>, into a: UnsafeMutablePointer<Float>
  ) {
    let (rows, depth) = transposed ? (G.c, G.o) : (G.o, G.c)
    for (j, panel) in panels.enumerated() {
      let base = a + j * 9 * depth * laneRows, first = panel * laneRows
      guard first + laneRows <= rows else {  // the last, partial panel: element by element, zeros past the last row
        for k in 0..<depth {
          for t in 0..<9 {
            for r in 0..<laneRows {
              let row = first + r
              base[(t * depth + k) * laneRows + r] =
                row >= rows ? 0 : transposed ? w[(k * G.c + row) * 9 + 8 - t] : w[(row * G.c + k) * 9 + t]
            }
          }
        }
        continue
      }
      if transposed {
        // the 6 rows' weights of output channel k are one run of 54: [row][tap]; each tap's 6
        // go out as two vector stores
        for k in 0..<depth {
          let src = w + (k * G.c + first) * 9
          for t in 0..<9 {
            storeSix(src + 8 - t, stride: 9, into: base + (t * depth + k) * laneRows)
          }
        }
      } else {
        // each row's 9 taps of input channel k are a run of 9, rows 9·C apart; two channels'
        // 12 weights of a tap are contiguous in the packing and go out as two vector stores
        // (written one float at a time, the packing was a fifth of a 256→512 3×3 layer's
        // forward; now 4–5% less of that layer's time, 2–5% at 512→1024)
        let stride = 9 * G.c
        var k = 0
        while k + 1 < depth {
          let src = w + first * stride + k * 9
          for t in 0..<9 {
            let d = UnsafeMutableRawPointer(base + (t * depth + k) * laneRows), s = src + t, u = s + 9
            d.storeBytes(
              of: SIMD8(s[0], s[stride], s[2 * stride], s[3 * stride], s[4 * stride], s[5 * stride], u[0], u[stride]),
              as: SIMD8<Float>.self)
            d.storeBytes(
              of: SIMD4(u[2 * stride], u[3 * stride], u[4 * stride], u[5 * stride]), toByteOffset: 32,
              as: SIMD4<Float>.self)
          }
          k += 2
        }
        if k < depth {
          let src = w + first * stride + k * 9
          for t in 0..<9 { storeSix(src + t, stride: stride, into: base + (t * depth + k) * laneRows) }
        }
      }
    }
  }

  /// The 6 floats `stride` apart from `s` at `d`, as a 4- and a 2-float store (one tap's
  /// 6 weights of a panel for one channel in ``packLaneWeights(_:transposed:_:panels:into:)``).
  @inline(__always)
  static func storeSix(_ s: UnsafePointer<Float>, stride: Int, into d: UnsafeMutablePointer<Float>) {
    let raw = UnsafeMutableRawPointer(d)
    raw.storeBytes(of: SIMD4(s[0], s[stride], s[2 * stride], s[3 * stride]), as: SIMD4<Float>.self)
    raw.storeBytes(of: SIMD2(s[4 * stride], s[5 * stride]), toByteOffset: 16, as: SIMD2<Float>.self)
  }

  /// The 6 × 16 tile of one position into `tile` (rows `rowPitch` apart): for each of its
  /// `taps` (t, q), `depth` steps, step k adding a[(t·depth + k)·6 + r] × b[(q·depth + k)·16 ..<
  /// +16] to row r. The 12 sums stay in registers across the taps.
  @inline(never)
  static func laneTile(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ taps: [(tap: Int, position: Int)], _ depth: Int,
    _ tile: UnsafeMutablePointer<Float>, rowPitch: Int
  ) {
    var sums = LaneSums()
    for (t, q) in taps {
      var (ap, bp) = (a + t * depth * laneRows, UnsafeRawPointer(b + q * depth * laneImages))
      for _ in 0..<depth {
        sums.add(ap, bp)
        ap += laneRows
        bp += 64
      }
    }
    sums.store(tile, rowPitch: rowPitch)
  }
}

/// The 12 accumulators of a 6 × 16 tile (6 rows of two 8-wide vectors), for the image-lane
/// kernels: each step adds six broadcast scalars times one 16-float row.
struct LaneSums {
  typealias V = SIMD8<Float>
  var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
  var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()

  /// Row r += a[r] × b[0 ..< 16], for r in 0..<6.
  @inline(__always)
  mutating func add(_ a: UnsafePointer<Float>, _ b: UnsafeRawPointer) {
    let (b0, b1) = (b.loadUnaligned(as: V.self), b.loadUnaligned(fromByteOffset: 32, as: V.self))
    var s = V(repeating: a[0])
    c00.addProduct(s, b0); c01.addProduct(s, b1)
    s = V(repeating: a[1])
    c10.addProduct(s, b0); c11.addProduct(s, b1)
    s = V(repeating: a[2])
    c20.addProduct(s, b0); c21.addProduct(s, b1)
    s = V(repeating: a[3])
    c30.addProduct(s, b0); c31.addProduct(s, b1)
    s = V(repeating: a[4])
    c40.addProduct(s, b0); c41.addProduct(s, b1)
    s = V(repeating: a[5])
    c50.addProduct(s, b0); c51.addProduct(s, b1)
  }

  /// The 96 sums at `tile`, each row's 16 contiguous, rows `rowPitch` floats apart.
  @inline(__always)
  func store(_ tile: UnsafeMutablePointer<Float>, rowPitch: Int = 16) {
    @inline(__always) func row(_ r: Int, _ a: V, _ b: V) {
      let c = UnsafeMutableRawPointer(tile + r * rowPitch)
      c.storeBytes(of: a, as: V.self)
      c.storeBytes(of: b, toByteOffset: 32, as: V.self)
    }
    row(0, c00, c01)
    row(1, c10, c11)
    row(2, c20, c21)
    row(3, c30, c31)
    row(4, c40, c41)
    row(5, c50, c51)
  }
}
