/// The direct forward kernel on CPUs without AVX-512 (rows not taken as runs,
/// `Conv2D+DirectRuns.swift`): tiles of six 8-wide output vectors for pairs of output
/// channels, and for the K = 27 first layers tiles of twelve, summed in passes of three
/// channels over four vectors (``Conv2D/tripleTileMaxK``, ``Conv2D/rowTileVectors(_:)``).
///
/// With AVX2's 16 registers of 8 floats, two output channels × six vectors of 8 outputs are
/// 12 accumulators, beside two broadcast weights and one input vector (no spills): each tap's
/// six input loads feed 12 fused multiply-adds, with 12 independent sums in flight where the
/// previous block (two channels × two `SIMD16<Float>`, 32 outputs of one row) had 8. The six
/// vectors of a tile may lie anywhere in the plane — rows of 24 are two rows' three vectors,
/// rows of 96 two tiles of one row — so only the last vector of a row that is not a multiple
/// of 8 wastes lanes (rows of 24 left a quarter of the previous block's second vector idle:
/// 16→32 @24 ran at 52–61 % of sgemm's rate, then 74–82 %; the K = 27 first layers did not
/// move, ≈ 60–70 %). With 64-byte-aligned planes of whole-line rows and one loop over
/// precomputed kernel-row offsets (`Conv2D+DirectForward.swift`) 16→32 @24 runs at 94–106 % and
/// 3→8 @96 at 67–75 % in the benchmark's kernel section (85 % in a warm loop). Every output is
/// the same fixed-order sum as with the wide block (bias, then channels, kernel rows and taps
/// in weight order): the same bits.
extension Conv2D {
  /// Vectors (of 8 outputs) per tile.
  static let tileVectors = 6

  /// Vectors (of 8 outputs) per tile of ``sumTileInTriples(_:tile:rowOffsets:rowCount:taps:bias:into:planeStride:)``.
  static let tripleTileVectors = 12

  /// The plane's 8-wide output vectors, `vectors` to a tile, as 3 · `vectors` integers per
  /// tile: the vectors' byte offsets into the padded input (`paddedWidth` floats per row),
  /// their offsets into the output plane (`ow` per row), and how many of their 8 lanes are
  /// outputs. A last tile is filled with copies of its last vector that store nothing.
  static func outputTiles(oh: Int, ow: Int, paddedWidth: Int, vectors: Int = tileVectors) -> [Int] {
    let perRow = (ow + 7) / 8, count = oh * perRow
    let tileCount = (count + vectors - 1) / vectors
    var tiles = [Int](repeating: 0, count: 3 * vectors * tileCount)
    for v in 0..<tileCount * vectors {
      let (y, col) = (min(v, count - 1) / perRow, min(v, count - 1) % perRow * 8)
      let (t, j) = (v / vectors * 3 * vectors, v % vectors)
      tiles[t + j] = 4 * (y * paddedWidth + col)
      tiles[t + vectors + j] = y * ow + col
      tiles[t + 2 * vectors + j] = v < count ? min(8, ow - col) : 0
    }
    return tiles
  }

  /// One tile (``outputTiles(oh:ow:paddedWidth:vectors:)``, at `tile`) of a block of
  /// ``directOutputBlock`` output channels (weights as one run, 8 per tap; planes `planeStride`
  /// apart from `out`), in passes of two channels (``sumTaps(_:_:rowOffsets:rowCount:taps:)``),
  /// each vector stored with as many lanes as it has outputs.
  @inline(never)
  static func sumTileInPairs(
    _ x: UnsafePointer<Float>, tile: UnsafePointer<Int>, rowOffsets: UnsafePointer<Int>, rowCount: Int,
    taps: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
    planeStride: Int
  ) {
    let offsets = (tile[0], tile[1], tile[2], tile[3], tile[4], tile[5])  // read once for the four passes
    for pair in stride(from: 0, to: directOutputBlock, by: 2) {
      let sums = sumTaps(
        SixTileVectors(bias: bias + pair, offsets: offsets), UnsafeRawPointer(x), rowOffsets: rowOffsets,
        rowCount: rowCount, taps: taps + pair)
      let (first, second) = (out + pair * planeStride, out + (pair + 1) * planeStride)
      @inline(__always) func store(_ j: Int, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        let (offset, count) = (tile[tileVectors + j], tile[2 * tileVectors + j])
        Conv2D.store(a, first + offset, count)
        Conv2D.store(b, second + offset, count)
      }
      store(0, sums.a0, sums.b0)
      store(1, sums.a1, sums.b1)
      store(2, sums.a2, sums.b2)
      store(3, sums.a3, sums.b3)
      store(4, sums.a4, sums.b4)
      store(5, sums.a5, sums.b5)
    }
  }

  /// One tile of ``tripleTileVectors`` vectors (``outputTiles(oh:ow:paddedWidth:vectors:)``,
  /// at `tile`) of a block of ``directOutputBlock`` output channels: channels 0–2 and 3–5 in
  /// passes of three channels over four vectors
  /// (``sumTaps(_:_:rowOffsets:rowCount:taps:)``), channels 6 and 7 in passes of two over six
  /// (``sumTaps(_:_:rowOffsets:rowCount:taps:)``). Three channels × four vectors are also 12
  /// accumulators, beside three broadcast weights and one input vector, but each tap needs 7
  /// loads for its 12 multiply-adds where a pair's six vectors need 8: on the AVX2 EPYC, whose
  /// load-heavy loops slow in some host periods while a pure multiply-add loop does not, a C
  /// replica of the two inner loops (L1-resident, both cores) ran at 122–126 against 90–100
  /// GFLOP/s, and the whole 3→8 @96 layer about 7% faster (``tripleTileMaxK``). The same sums
  /// in the same order as the pairs': the same bits.
  @inline(never)
  static func sumTileInTriples(
    _ x: UnsafePointer<Float>, tile: UnsafePointer<Int>, rowOffsets: UnsafePointer<Int>, rowCount: Int,
    taps: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
    planeStride: Int
  ) {
    let v = tripleTileVectors
    @inline(__always) func store(_ channel: Int, _ j: Int, _ sum: SIMD8<Float>) {
      Conv2D.store(sum, out + channel * planeStride + tile[v + j], tile[2 * v + j])
    }
    @inline(__always) func store4(
      _ channel: Int, _ j: Int, _ s: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
    ) {
      store(channel, j, s.0)
      store(channel, j + 1, s.1)
      store(channel, j + 2, s.2)
      store(channel, j + 3, s.3)
    }
    // plain ranges: `stride` loops here stayed calls to their iterator (1% of the samples)
    for pass in 0..<2 {
      for part in 0..<3 {
        let (first, j) = (3 * pass, 4 * part)
        let s = sumTaps(
          FourVectorsOfThree(bias: bias + first, offsets: (tile[j], tile[j + 1], tile[j + 2], tile[j + 3])),
          UnsafeRawPointer(x), rowOffsets: rowOffsets, rowCount: rowCount, taps: taps + first)
        store4(first, j, (s.a0, s.a1, s.a2, s.a3))
        store4(first + 1, j, (s.b0, s.b1, s.b2, s.b3))
        store4(first + 2, j, (s.c0, s.c1, s.c2, s.c3))
      }
    }
    for part in 0..<2 {
      let j = tileVectors * part
      let offsets = (tile[j], tile[j + 1], tile[j + 2], tile[j + 3], tile[j + 4], tile[j + 5])
      let s = sumTaps(
        SixTileVectors(bias: bias + 6, offsets: offsets), UnsafeRawPointer(x), rowOffsets: rowOffsets,
        rowCount: rowCount, taps: taps + 6)
      store4(6, j, (s.a0, s.a1, s.a2, s.a3))
      store(6, j + 4, s.a4)
      store(6, j + 5, s.a5)
      store4(7, j, (s.b0, s.b1, s.b2, s.b3))
      store(7, j + 4, s.b4)
      store(7, j + 5, s.b5)
    }
  }

  /// Three output channels' sums at four 8-wide positions (12 registers beside three
  /// broadcast weights and one input vector).
  struct FourVectorsOfThree: TapVectors {
    var a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3: SIMD8<Float>
    /// The vectors' byte offsets in the input.
    let i0, i1, i2, i3: Int

    /// Every vector at its channel's bias (`bias[0]`, `bias[1]`, `bias[2]`), at the byte
    /// offsets `offsets`.
    @inline(__always)
    init(bias: UnsafePointer<Float>, offsets: (Int, Int, Int, Int)) {
      (a0, b0, c0) = (SIMD8(repeating: bias[0]), SIMD8(repeating: bias[1]), SIMD8(repeating: bias[2]))
      (a1, a2, a3) = (a0, a0, a0)
      (b1, b2, b3) = (b0, b0, b0)
      (c1, c2, c3) = (c0, c0, c0)
      (i0, i1, i2, i3) = offsets
    }

    /// Adds the three channels' weights (`w[0]`, `w[1]`, `w[2]`, broadcast) times the input
    /// vector at each position, relative to the kernel row and tap at `r`: one load, three
    /// multiply-adds.
    @inline(__always)
    mutating func add(_ r: UnsafeRawPointer, weights w: UnsafePointer<Float>) {
      let (s, t, u) = (SIMD8(repeating: w[0]), SIMD8(repeating: w[1]), SIMD8(repeating: w[2]))
      @inline(__always) func one(_ a: inout SIMD8<Float>, _ b: inout SIMD8<Float>, _ c: inout SIMD8<Float>, _ i: Int) {
        let v = r.loadUnaligned(fromByteOffset: i, as: SIMD8<Float>.self)
        a.addProduct(s, v)
        b.addProduct(t, v)
        c.addProduct(u, v)
      }
      one(&a0, &b0, &c0, i0)
      one(&a1, &b1, &c1, i1)
      one(&a2, &b2, &c2, i2)
      one(&a3, &b3, &c3, i3)
    }
  }

  /// Some output channels' 8-wide vectors at some positions: the accumulators of one pass of
  /// the AVX2 direct forward kernels (``sumTaps(_:_:rowOffsets:rowCount:taps:)``).
  protocol TapVectors {
    /// Adds each channel's weight of one tap (`w[0]` for the first channel, `w[1]` for the
    /// next, …) times the input vector at each position, relative to the kernel row and tap
    /// at `r`.
    mutating func add(_ r: UnsafeRawPointer, weights w: UnsafePointer<Float>)
  }

  /// Two output channels' vectors (``TapVectors``), given their two weights broadcast.
  protocol PairVectors: TapVectors {
    /// Adds `s` (the first channel's weight) and `t` (the second's) times the input vector at
    /// each position, relative to the kernel row and tap at `r`.
    mutating func add(_ r: UnsafeRawPointer, _ s: SIMD8<Float>, _ t: SIMD8<Float>)
  }

  /// Adds `s` times the input vector at byte `offset` from `r` to `a`, and `t` times it to `b`:
  /// one load, one multiply-add per channel.
  @inline(__always)
  static func addPair(
    _ a: inout SIMD8<Float>, _ b: inout SIMD8<Float>, _ r: UnsafeRawPointer, _ offset: Int, _ s: SIMD8<Float>,
    _ t: SIMD8<Float>
  ) {
    let v = r.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    a.addProduct(s, v)
    b.addProduct(t, v)
  }

  /// Returns `sums` plus, for each of its positions, the sum over the input's kernel rows —
  /// channel by channel, `rowCount` byte offsets from `x` at `rowOffsets`, one loop without
  /// the nested channel and row loops' index arithmetic — and the 3 taps of each, times the
  /// channels' weights (the block's 8 weights contiguous per tap from `taps`): each loaded
  /// input vector feeds one multiply-add per channel.
  @inline(__always)
  static func sumTaps<P: TapVectors>(
    _ sums: P, _ x: UnsafeRawPointer, rowOffsets: UnsafePointer<Int>, rowCount: Int, taps: UnsafePointer<Float>
  ) -> P {
    var (sums, w) = (sums, taps)
    for k in 0..<rowCount {
      let row = x + rowOffsets[k]
      for kj in 0..<3 {
        sums.add(row + 4 * kj, weights: w)
        w += directOutputBlock
      }
    }
    return sums
  }

  /// The row tiles' accumulators: six vectors anywhere in the plane (12 registers beside two
  /// broadcast weights and one input vector: no spills with AVX2's 16).
  struct SixTileVectors: PairVectors {
    var a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5: SIMD8<Float>
    /// The vectors' byte offsets in the input.
    let i0, i1, i2, i3, i4, i5: Int

    /// Every vector at its channel's bias (`bias[0]`, `bias[1]`), at the byte offsets `offsets`.
    @inline(__always)
    init(bias: UnsafePointer<Float>, offsets: (Int, Int, Int, Int, Int, Int)) {
      (a0, b0) = (SIMD8(repeating: bias[0]), SIMD8(repeating: bias[1]))
      (a1, a2, a3, a4, a5) = (a0, a0, a0, a0, a0)
      (b1, b2, b3, b4, b5) = (b0, b0, b0, b0, b0)
      (i0, i1, i2, i3, i4, i5) = offsets
    }

    @inline(__always)
    mutating func add(_ r: UnsafeRawPointer, _ s: SIMD8<Float>, _ t: SIMD8<Float>) {
      Conv2D.addPair(&a0, &b0, r, i0, s, t)
      Conv2D.addPair(&a1, &b1, r, i1, s, t)
      Conv2D.addPair(&a2, &b2, r, i2, s, t)
      Conv2D.addPair(&a3, &b3, r, i3, s, t)
      Conv2D.addPair(&a4, &b4, r, i4, s, t)
      Conv2D.addPair(&a5, &b5, r, i5, s, t)
    }
  }

  /// Stores the first `count` (≤ 8) lanes of `v` at `out`.
  @inline(__always)
  static func store(_ v: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 8 { return UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD8<Float>.self) }
    for l in 0..<count { out[l] = v[l] }
  }
}

extension Conv2D.PairVectors {
  /// The pair's two weights of one tap, broadcast.
  @inline(__always)
  mutating func add(_ r: UnsafeRawPointer, weights w: UnsafePointer<Float>) {
    add(r, SIMD8(repeating: w[0]), SIMD8(repeating: w[1]))
  }
}
