/// The direct forward kernel on CPUs without AVX-512: tiles of six 8-wide output vectors.
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

  /// The plane's 8-wide output vectors, six to a tile, as 18 integers per tile: the six
  /// vectors' byte offsets into the padded input (`paddedWidth` floats per row), their offsets
  /// into the output plane (`ow` per row), and how many of their 8 lanes are outputs. A last
  /// tile is filled with copies of its last vector that store nothing.
  static func outputTiles(oh: Int, ow: Int, paddedWidth: Int) -> [Int] {
    let perRow = (ow + 7) / 8, count = oh * perRow
    let tileCount = (count + tileVectors - 1) / tileVectors
    var tiles = [Int](repeating: 0, count: 3 * tileVectors * tileCount)
    for v in 0..<tileCount * tileVectors {
      let (y, col) = (min(v, count - 1) / perRow, min(v, count - 1) % perRow * 8)
      let (t, j) = (v / tileVectors * 3 * tileVectors, v % tileVectors)
      tiles[t + j] = 4 * (y * paddedWidth + col)
      tiles[t + tileVectors + j] = y * ow + col
      tiles[t + 2 * tileVectors + j] = v < count ? min(8, ow - col) : 0
    }
    return tiles
  }

  /// One tile (``outputTiles(oh:ow:paddedWidth:)``, at `tile`) of a block of
  /// ``directOutputBlock`` output channels (weights as one run, 8 per tap; planes `planeStride`
  /// apart from `out`), in passes of two channels: each output is the bias plus the sum over
  /// the input's kernel rows — channel by channel, `rowCount` byte offsets from `x` at
  /// `rowOffsets`, one loop without the nested channel and row loops' index arithmetic — and
  /// the 3 taps of each.
  @inline(never)
  static func sumTileInPairs(
    _ x: UnsafePointer<Float>, tile: UnsafePointer<Int>, rowOffsets: UnsafePointer<Int>, rowCount: Int,
    taps: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
    planeStride: Int
  ) {
    typealias V = SIMD8<Float>
    let (i0, i1, i2, i3, i4, i5) = (tile[0], tile[1], tile[2], tile[3], tile[4], tile[5])
    for pair in stride(from: 0, to: directOutputBlock, by: 2) {
      var (a0, a1, a2, a3, a4, a5) = (V(repeating: bias[pair]), V(), V(), V(), V(), V())
      (a1, a2, a3, a4, a5) = (a0, a0, a0, a0, a0)
      var (b0, b1, b2, b3, b4, b5) = (V(repeating: bias[pair + 1]), V(), V(), V(), V(), V())
      (b1, b2, b3, b4, b5) = (b0, b0, b0, b0, b0)
      var w = taps + pair
      let base = UnsafeRawPointer(x)
      for k in 0..<rowCount {
        let row = base + rowOffsets[k]
        for kj in 0..<3 {
          let r = row + 4 * kj
          let (s, t) = (V(repeating: w[0]), V(repeating: w[1]))
          // one input vector, two multiply-adds (one per channel)
          @inline(__always) func add(_ a: inout V, _ b: inout V, _ offset: Int) {
            let v = r.loadUnaligned(fromByteOffset: offset, as: V.self)
            a.addProduct(s, v)
            b.addProduct(t, v)
          }
          add(&a0, &b0, i0)
          add(&a1, &b1, i1)
          add(&a2, &b2, i2)
          add(&a3, &b3, i3)
          add(&a4, &b4, i4)
          add(&a5, &b5, i5)
          w += directOutputBlock
        }
      }
      let (first, second) = (out + pair * planeStride, out + (pair + 1) * planeStride)
      @inline(__always) func store(_ j: Int, _ a: V, _ b: V) {
        let (offset, count) = (tile[tileVectors + j], tile[2 * tileVectors + j])
        Conv2D.store(a, first + offset, count)
        Conv2D.store(b, second + offset, count)
      }
      store(0, a0, b0)
      store(1, a1, b1)
      store(2, a2, b2)
      store(3, a3, b3)
      store(4, a4, b4)
      store(5, a5, b5)
    }
  }

  /// Stores the first `count` (≤ 8) lanes of `v` at `out`.
  @inline(__always)
  static func store(_ v: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 8 { return UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD8<Float>.self) }
    for l in 0..<count { out[l] = v[l] }
  }
}
