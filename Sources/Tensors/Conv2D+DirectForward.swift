/// The forward pass of 3-wide, stride-1 convolutions with few input channels on wide maps,
/// summed directly from the zero-padded input, without im2col.
///
/// For the first layers of detectors (3→8 at 96×96) the im2col product is [O × K]·[K × HW]
/// with K = 27 and O = 8: sgemm runs at a fraction of its rate on it, after im2col has written
/// the K·HW columns. Here each output row is summed in registers: with AVX-512, 8 output
/// channels × 32 columns (16 accumulators of 16 lanes, `Conv2D+DirectBlocks.swift`); with
/// AVX2, tiles of six 8-wide vectors anywhere in the plane for 2 channels at a time (three
/// channels over four vectors on the first layers, `Conv2D+DirectTiles.swift`), and on rows of
/// 12 to 16 outputs tiles of five vectors along the plane laid out as one run
/// (`Conv2D+DirectRuns.swift`) — over every input channel and tap, each loaded input vector
/// feeding a fused multiply-add per channel with broadcast weights. Every output element is one
/// fixed-order sum (bias, then channels and taps in weight order), independent of the number of
/// cores.
extension Conv2D {
  /// Output channels summed together.
  static let directOutputBlock = 8

  /// The largest C·kH·kW whose row tiles (AVX2) are summed in passes of three channels
  /// (``sumTileInTriples(_:tile:rowOffsets:rowCount:taps:bias:into:planeStride:)``) rather
  /// than pairs: the first layers (K = 27). On the AVX2 EPYC, 3→8 @96 batch 16, 12
  /// alternations of 2,000 calls each: best 0.44–0.56 ms (mean 0.485) against 0.43–0.62 (mean
  /// 0.521), median 0.58–0.71 (mean 0.635) against 0.58–0.78 (mean 0.701); 3→16 @64 batch 32
  /// was even (0.74–0.96 against 0.75–0.97 ms in 6), and at K = 72 and 144 (8→16 @48, 16→32
  /// @24) within the host's noise, so they keep the pairs.
  static let tripleTileMaxK = 27

  /// The vectors of this layer's AVX2 row tiles: ``tripleTileVectors`` summed in passes of three
  /// channels when C·kH·kW ≤ ``tripleTileMaxK``, ``tileVectors`` in pairs otherwise.
  static func rowTileVectors(_ G: Geometry) -> Int { G.k <= tripleTileMaxK ? tripleTileVectors : tileVectors }

  /// Whether ``directForward(_:weight:bias:_:_:epilogue:)`` computes this layer: one group, a kernel 3
  /// wide, stride and dilation 1, output channels a multiple of 8, C·kH·kW ≤
  /// ``directForwardMaxK`` and rows of at least ``directMinWidth`` outputs — or narrower rows
  /// that the runs take (``usesRuns(_:_:)``).
  static func usesDirectForward(_ G: Geometry, _ p: Conv2DParameters) -> Bool {
    G.c > 0 && G.o > 0 && G.g == 1 && G.kw == 3 && p.strideH == 1 && p.strideW == 1 && p.dilationH == 1
      && p.dilationW == 1
      && G.o % directOutputBlock == 0 && G.k <= directForwardMaxK
      && (G.ow >= directMinWidth || usesRuns(G, p))
  }

  /// The narrowest output row that takes the direct forward pass as runs
  /// (`Conv2D+DirectRuns.swift`). On the AVX2 EPYC, best of 2,000 calls against im2col: 32→64
  /// @12 batch 16 0.54 vs 0.56 ms (median 0.55 vs 0.64–0.68); rows of 8 (80 % of the lanes)
  /// were even or slower (32→64 @8 batch 32 0.55–0.57 vs 0.52–0.53), so they stay with im2col.
  /// (The input gradient's transposed problem on rows of 12, 64→32 @12, was faster as runs too,
  /// 0.57 vs 0.64 ms, but the chunked im2col backward doing both gradients was faster still:
  /// ``directInputGradientProblem(_:_:)``.)
  static let directRunMinWidth = 12

  /// The largest C·kH·kW whose rows narrower than ``directMinWidth`` take the runs rather than
  /// im2col (rows of 16 take them up to ``directForwardMaxK``, against the row tiles). On the
  /// AVX2 EPYC, batch 16, best of 2,000 calls, runs against im2col: 32→64 @12 (288) 0.54 vs
  /// 0.56 ms, 8→32 and 16→64 @15 (72, 144) 0.104 vs 0.135 and 0.386 vs 0.435; but 48→96 @12
  /// (432) 1.22 vs 1.15, 64→64 @12 (576) 1.11 vs 1.08–1.11 and 64→128 @12 2.19 vs 1.99, where
  /// a block's weights and an image's input planes no longer fit the first-level cache
  /// together and sgemm's blocking wins. (Rows of 16: 64→128 @16 3.86 vs the row tiles'
  /// 4.10–4.17.)
  static let directRunMaxK = 288

  /// The narrowest output row that takes the direct forward pass in rows (row tiles, or the
  /// AVX-512 block), and the widest that takes it as runs. Measured against im2col on an
  /// AVX-512 machine (2 cores), batch 16, alternating: 1.7–5× faster on the 3→8 @96, 8→16
  /// @48, 3→16 @64, 16→32 @32 and 32→64 @16 layers, even at 16→32 @24 and 32→64 @12; rows of
  /// 6 and 8 waste half the lanes or more and were 1.6–2.5× slower. On the AVX2 EPYC, rows of
  /// 16 as runs against row tiles: 32→64 @16 batch 32 1.78 vs 1.92 ms, 16→32 @16 0.24 vs
  /// 0.255; rows of 24: 16→32 @24 0.50 vs 0.48 (row tiles kept).
  static let directMinWidth = 16

  /// The largest C·kH·kW that takes the direct forward pass: 8 weights per tap for this many
  /// taps stay in L1 (18 KiB).
  static let directForwardMaxK = 576

  /// The convolution of `x` [N, C, H, W] with `weight` [O, C, kH, 3] plus `bias`, as NCHW,
  /// with `epilogue` applied to each block of 8 output planes once it is complete (pooled from
  /// a scratch block with a 2×2 max pool), as the im2col paths apply it.
  static func directForward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters, _ G: Geometry,
    epilogue: Epilogue? = nil
  ) -> Tensor<Float> {
    precondition(usesDirectForward(G, p), "conv2d: the direct kernel does not apply to \(G)")
    let rowWidth = (G.ow + 15) / 16 * 16
    // row tiles and the wide block: room for a whole pair of vectors past the last; rows of
    // whole cache lines (below). Runs lay the planes out as `RunLayout` says instead.
    let paddedWidth = (rowWidth + 16 + G.kw - 1 + 15) / 16 * 16
    let runs = usesRuns(G, p) ? RunLayout(G) : nil
    let rowStride = runs?.stride ?? paddedWidth, planeSize = runs?.planeSize ?? (G.oh + G.kh - 1) * paddedWidth
    // the byte offset of each input channel's kernel row in the padded planes, in weight order
    let rowOffsets = (0..<G.c * G.kh).map { 4 * ($0 / G.kh * planeSize + $0 % G.kh * rowStride) }
    // weights as [block of 8 output channels][tap][8]: one tap's weights of a block are
    // contiguous, and a block's weights are one run (K·32 bytes) that stays in L1 beside the input
    var taps = [Float].uninitialized(count: G.k * G.o)
    for o in 0..<G.o {
      let (blockBase, lane) = ((o / directOutputBlock) * G.k * directOutputBlock, o % directOutputBlock)
      for t in 0..<G.k { taps[blockBase + t * directOutputBlock + lane] = weight.scalars[o * G.k + t] }
    }
    let biases = bias?.scalars ?? [Float](repeating: 0, count: G.o)
    let pooled = epilogue?.maxPool2x2 == true, block = directOutputBlock, wide = Conv2D.wideDirectKernels
    let (ph, pw) = epilogue?.planeSize(G.oh, G.ow) ?? (G.oh, G.ow)
    var out = [Float].uninitialized(count: G.n * G.o * ph * pw)  // every element is written below
    let tiles =
      wide || runs != nil ? [] : outputTiles(oh: G.oh, ow: G.ow, paddedWidth: paddedWidth, vectors: rowTileVectors(G))
    x.scalars.withBase { xBase in
      taps.withBase { wt in
        biases.withBase { b in
          tiles.withBase { tb in
            out.withMutableBase { po in
              let o = SendablePointer(po)
              Parallel.forEachChunk(Parallel.chunks(G.n)) { _, images in
                // 64-byte aligned: with rows of whole cache lines (row tiles, the wide block),
                // every vector of a tile starts at a multiple of 32 bytes, so only a third of
                // the taps' loads (the vectors starting in the second half of a line, shifted by
                // 1 or 2) span two lines. padPlane writes only the image's rows; the zeros
                // around them are every image's, written once
                let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * G.c * planeSize, alignment: 64)
                defer { raw.deallocate() }
                let xp = raw.bindMemory(to: Float.self, capacity: G.c * planeSize)
                for c in 0..<G.c {
                  zeroAroundRows(G, p, width: rowStride, planeSize: planeSize, into: xp + c * planeSize)
                }
                // with a pooling epilogue, a block's full-size planes, then two mapped rows
                // and with runs, the block's runs after them
                let pooledCount = pooled ? block * G.hw + 2 * G.ow : 0
                var scratch = [Float].uninitialized(count: max(1, pooledCount + block * (runs?.length ?? 0)))
                rowOffsets.withBase { rows in
                  scratch.withMutableBase { ps in
                    for i in images {
                      for c in 0..<G.c {
                        padPlane(xBase + (i * G.c + c) * G.h * G.w, G, p, into: xp + c * planeSize, width: rowStride)
                      }
                      for ob in stride(from: 0, to: G.o, by: block) {
                        let outBase = pooled ? ps : o.p + (i * G.o + ob) * G.hw
                        let (input, weights) = (UnsafePointer(xp), wt + ob * G.k)
                        if let runs {
                          sumBlockInRuns(
                            input, G, runs, rowOffsets: rows, taps: weights, bias: b + ob, scratch: ps + pooledCount,
                            into: outBase)
                        } else if wide {
                          sumBlockInRows(
                            input, G, paddedWidth: paddedWidth, rowOffsets: rows, taps: weights, bias: b + ob,
                            into: outBase)
                        } else {
                          sumBlockInTiles(
                            input, G, tiles: tb, count: tiles.count, rowOffsets: rows, taps: weights, bias: b + ob,
                            into: outBase)
                        }
                        guard let epilogue else { continue }
                        for k in 0..<block {
                          let oc = ob + k
                          if pooled {
                            epilogue.mapAndPool(
                              ps + k * G.hw, oh: G.oh, ow: G.ow, channel: oc, rows: ps + block * G.hw,
                              into: o.p + (i * G.o + oc) * ph * pw)
                          } else {
                            epilogue.apply(outBase + k * G.hw, G.hw, channel: oc)
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
    }
    return Tensor(shape: [G.n, G.o, ph, pw], scalars: out)
  }

  /// One image's block of ``directOutputBlock`` output planes (`out`, `G.hw` apart) with the
  /// AVX-512 block: whole pairs of 16-wide vectors along each row; a last vector of each row
  /// paired with the one below it (or with a copy of itself on a last odd row). The input's
  /// kernel rows are at the byte offsets `rowOffsets` (C·kH of them) from `xp`, rows
  /// `paddedWidth` floats apart.
  static func sumBlockInRows(
    _ xp: UnsafePointer<Float>, _ G: Geometry, paddedWidth: Int, rowOffsets: UnsafePointer<Int>,
    taps: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>
  ) {
    func sum(row y: Int, col: Int, second: Int, secondOut: Int, counts: (Int, Int)) {
      sumTwoVectors(
        xp + y * paddedWidth + col, second: second, rowOffsets: rowOffsets, rowCount: G.c * G.kh, taps: taps,
        bias: bias, into: out + y * G.ow + col, secondOut: secondOut, planeStride: G.hw, counts: counts)
    }
    let pairs = G.ow / 32, tail = G.ow - pairs * 32
    for y in stride(from: 0, to: G.oh, by: 2) {
      let rows = min(2, G.oh - y)
      for r in 0..<rows {
        for pair in 0..<pairs {
          sum(row: y + r, col: 32 * pair, second: 16, secondOut: 16, counts: (16, 16))
        }
        if tail > 16 {
          sum(row: y + r, col: 32 * pairs, second: 16, secondOut: 16, counts: (16, tail - 16))
        }
      }
      if tail > 0 && tail <= 16 {
        sum(
          row: y, col: 32 * pairs, second: rows == 2 ? paddedWidth : 0, secondOut: G.ow,
          counts: (tail, rows == 2 ? tail : 0))
      }
    }
  }

  /// One image's block of ``directOutputBlock`` output planes (`out`, `G.hw` apart) without
  /// AVX-512 on rows not taken as runs: every tile of `tiles` (`count` integers,
  /// ``outputTiles(oh:ow:paddedWidth:vectors:)`` of ``rowTileVectors(_:)`` vectors: twelve summed
  /// in passes of three channels, six in pairs), the input's kernel rows at the byte offsets
  /// `rowOffsets` (C·kH of them) from `xp`.
  static func sumBlockInTiles(
    _ xp: UnsafePointer<Float>, _ G: Geometry, tiles: UnsafePointer<Int>, count: Int,
    rowOffsets: UnsafePointer<Int>, taps: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>
  ) {
    let vectors = rowTileVectors(G)
    let sumTile = vectors == tripleTileVectors ? sumTileInTriples : sumTileInPairs
    for t in stride(from: 0, to: count, by: 3 * vectors) {
      sumTile(xp, tiles + t, rowOffsets, G.c * G.kh, taps, bias, out, G.hw)
    }
  }

  /// Writes two vectors of outputs for the block of ``directOutputBlock`` output channels
  /// (planes `planeStride` apart): the first `counts.0` at `out`, the first `counts.1` of the
  /// second at `out + secondOut`. Each is the bias plus the sum over the input's kernel rows
  /// (`rowCount` byte offsets from `x` at `rowOffsets`, as in
  /// ``sumTileInPairs(_:tile:rowOffsets:rowCount:taps:bias:into:planeStride:)``) and the 3 taps
  /// of each, at `x` and — for the second — at `x + second`, times the tap's weights at `taps`
  /// (the block's 8 weights contiguous per tap).
  @inline(__always)
  static func sumTwoVectors(
    _ x: UnsafePointer<Float>, second: Int, rowOffsets: UnsafePointer<Int>, rowCount: Int,
    taps: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, secondOut: Int,
    planeStride: Int, counts: (Int, Int)
  ) {
    typealias V = SIMD16<Float>
    var block = EightChannelVectors(bias: bias)
    let secondBytes = 4 * second, base = UnsafeRawPointer(x)
    var w = taps
    for k in 0..<rowCount {
      let row = base + rowOffsets[k]
      for kj in 0..<3 {
        let xa = row.loadUnaligned(fromByteOffset: 4 * kj, as: V.self)
        let xb = row.loadUnaligned(fromByteOffset: 4 * kj + secondBytes, as: V.self)
        block.add(w, xa, xb)
        w += directOutputBlock
      }
    }
    block.store(out, secondOut: secondOut, planeStride: planeStride, counts: counts)
  }

  /// Stores the first `count` (≤ 16) lanes of `v` at `out`.
  @inline(__always)
  static func store(_ v: SIMD16<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 16 { return UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD16<Float>.self) }
    for l in 0..<count { out[l] = v[l] }
  }
}
