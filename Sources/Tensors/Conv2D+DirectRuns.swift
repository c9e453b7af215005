/// The direct forward kernel on rows of 12 to 16 outputs (``Conv2D/directRunMinWidth``,
/// ``Conv2D/directMinWidth``) without AVX-512: the plane as one run of positions instead of
/// rows. (With AVX-512 such rows keep what was measured there: the wide row block at 16, im2col
/// below; the sums of the row block and of the runs are the same, so a 16-wide layer gives the
/// same bits either way.)
///
/// A 12-wide row is one full 8-wide vector and a third of another, so the row tiles
/// (`Conv2D+DirectTiles.swift`) waste a quarter of their multiply-adds on it. Here the input
/// planes are laid out with rows `ow + 1` apart, each row's left zero column doubling as the
/// right padding of the row above (both are zeros with padding 1 on either side). Then output
/// y, x at position q = y·(ow + 1) + x reads tap (i, j) at q + i·(ow + 1) + j for every
/// position alike, so the outputs are summed along the run q = 0, 1, 2, … in whole vectors,
/// five at a time for two output channels (10 accumulators), and the one position per row that
/// is not an output (x = ow) is dropped when the run is copied to the output planes. At 12×12
/// that uses 90 % of the lanes instead of 75 % (32→64 @12 forward in the benchmark's kernel
/// section: 84–86 % of sgemm's rate, was 68–74 % with im2col), and a plane's input is a third
/// as large as with row tiles' aligned rows (32→64 @16: 87–89 %, was 76–82 %). Every output
/// is the same fixed-order sum as with the row tiles (bias, then channels, kernel rows and taps
/// in weight order): the same bits.
extension Conv2D {
  /// Vectors (of 8 positions) per run tile.
  static let runTileVectors = 5

  /// The layout of one image's input for the run kernel: planes of `planeSize` floats (whole
  /// cache lines) with rows `stride` apart, and `length` positions summed per output plane
  /// (whole tiles).
  struct RunLayout {
    let stride: Int, length: Int, planeSize: Int

    init(_ G: Geometry) {
      stride = G.ow + 1
      let positions = (G.oh - 1) * stride + G.ow, tile = 8 * runTileVectors
      length = (positions + tile - 1) / tile * tile
      // a tile's last tap reads (kH − 1) rows and 2 past its last position; the bottom
      // padding row's right zero is the next row's first element
      let reach = max(length + (G.kh - 1) * stride + 2, (G.oh + G.kh - 1) * stride + 1)
      planeSize = (reach + 15) / 16 * 16
    }
  }

  /// Whether the direct forward pass sums this layer's planes as runs
  /// (``sumBlockInRuns(_:_:_:rowOffsets:taps:bias:scratch:into:)``), given that it takes the
  /// direct kernel's other conditions (``usesDirectForward(_:_:)``): without the wide (AVX-512)
  /// kernels, one column of zero padding on either side, and rows of ``directMinWidth`` — or
  /// of ``directRunMinWidth`` up to it with C·kH·kW ≤ ``directRunMaxK``.
  static func usesRuns(_ G: Geometry, _ p: Conv2DParameters) -> Bool {
    !wideDirectKernels && p.padLeft == 1 && p.padRight == 1
      && (G.ow == directMinWidth || (directRunMinWidth..<directMinWidth ~= G.ow && G.k <= directRunMaxK))
  }

  /// One image's block of ``directOutputBlock`` output planes (`out`, `G.hw` apart) from its
  /// input in the run layout `R` (kernel rows at the byte offsets `rowOffsets` from `xp`):
  /// every run tile summed into `scratch` (``directOutputBlock`` runs of `R.length`), then
  /// each output row copied out of its run.
  static func sumBlockInRuns(
    _ xp: UnsafePointer<Float>, _ G: Geometry, _ R: RunLayout, rowOffsets: UnsafePointer<Int>,
    taps: UnsafePointer<Float>, bias: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    into out: UnsafeMutablePointer<Float>
  ) {
    for q in stride(from: 0, to: R.length, by: 8 * runTileVectors) {
      sumRunTile(
        xp + q, rowOffsets: rowOffsets, rowCount: G.c * G.kh, taps: taps, bias: bias, into: scratch + q,
        planeStride: R.length)
    }
    for k in 0..<directOutputBlock {
      for y in 0..<G.oh {
        copyRow(scratch + k * R.length + y * R.stride, to: out + k * G.hw + y * G.ow, count: G.ow)
      }
    }
  }

  /// Five vectors of run positions from `x` (and `out`) for the block of ``directOutputBlock``
  /// output channels, in passes of two channels (``sumTaps(_:_:rowOffsets:rowCount:taps:)``):
  /// channel k's run at `out + k·planeStride`.
  @inline(never)
  static func sumRunTile(
    _ x: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>, rowCount: Int, taps: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, planeStride: Int
  ) {
    for pair in stride(from: 0, to: directOutputBlock, by: 2) {
      let sums = sumTaps(
        FiveRunVectors(bias: bias + pair), UnsafeRawPointer(x), rowOffsets: rowOffsets, rowCount: rowCount,
        taps: taps + pair)
      let first = UnsafeMutableRawPointer(out + pair * planeStride)
      let second = UnsafeMutableRawPointer(out + (pair + 1) * planeStride)
      @inline(__always) func store(_ j: Int, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        first.storeBytes(of: a, toByteOffset: 32 * j, as: SIMD8<Float>.self)
        second.storeBytes(of: b, toByteOffset: 32 * j, as: SIMD8<Float>.self)
      }
      store(0, sums.a0, sums.b0)
      store(1, sums.a1, sums.b1)
      store(2, sums.a2, sums.b2)
      store(3, sums.a3, sums.b3)
      store(4, sums.a4, sums.b4)
    }
  }

  /// The run tiles' accumulators: five consecutive vectors (10 registers).
  struct FiveRunVectors: PairVectors {
    var a0, a1, a2, a3, a4, b0, b1, b2, b3, b4: SIMD8<Float>

    /// Every vector at its channel's bias (`bias[0]`, `bias[1]`).
    @inline(__always)
    init(bias: UnsafePointer<Float>) {
      (a0, b0) = (SIMD8(repeating: bias[0]), SIMD8(repeating: bias[1]))
      (a1, a2, a3, a4) = (a0, a0, a0, a0)
      (b1, b2, b3, b4) = (b0, b0, b0, b0)
    }

    @inline(__always)
    mutating func add(_ r: UnsafeRawPointer, _ s: SIMD8<Float>, _ t: SIMD8<Float>) {
      Conv2D.addPair(&a0, &b0, r, 0, s, t)
      Conv2D.addPair(&a1, &b1, r, 32, s, t)
      Conv2D.addPair(&a2, &b2, r, 64, s, t)
      Conv2D.addPair(&a3, &b3, r, 96, s, t)
      Conv2D.addPair(&a4, &b4, r, 128, s, t)
    }
  }
}
