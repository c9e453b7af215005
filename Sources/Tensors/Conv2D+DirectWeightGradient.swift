/// The weight gradient of 3-wide, stride-1 convolutions with few channels on wide maps, summed
/// directly from the input and the output gradient, without im2col.
///
/// For the first layers of detectors (3→8 at 96×96, 8→16 at 48×48) the im2col product is
/// [O × HW]·[HW × K] with O and K of a few dozen and HW in the thousands: a shape where sgemm
/// runs at a fraction of its rate, after im2col has written K·HW columns for it. Here each
/// element dW[o, c, i, j] = Σ_{y,x} dy[o, y, x] · x̃[c, y + i, x + j] (x̃: the zero-padded input)
/// is summed in 16 lanes over the whole plane, for eight output channels and the three taps of
/// a kernel row at a time (24 accumulators; with AVX2 four passes of 2 channels, see
/// `Conv2D+DirectBlocks.swift`), so each loaded vector feeds several fused
/// multiply-adds. Images are split into the fixed chunks of ``Parallel`` and the per-chunk
/// partials are added in chunk order, so results do not depend on the number of cores.
extension Conv2D {
  /// Whether ``directWeightGradient(_:input:_:_:)`` computes this layer's weight gradient: the
  /// layers of ``usesDirectForward(_:_:)`` with few enough input channels that im2col's product
  /// is narrow (C·kH·kW ≤ ``directMaxK``), on rows of at least ``directMinWidth`` (narrower
  /// rows were not measured against im2col here).
  static func usesDirectWeightGradient(_ G: Geometry, _ p: Conv2DParameters) -> Bool {
    usesDirectForward(G, p) && G.k <= directMaxK && G.ow >= directMinWidth
  }

  /// The largest C·kH·kW that takes the direct weight gradient. Measured against im2col on this
  /// machine (alternating, best of 8): 2.3–4× faster at 3→8 @96 and 3→16 @64, 1.7× at 8→16
  /// @48, 1.1–1.4× at 16→32 @24, @32 and @48; 1.4–1.7× slower at 32→64 @16 and @24, where
  /// each pass over a plane is short and the passes are many.
  static let directMaxK = 144

  /// dW [O, C, kH, 3] for the output gradient `dy` [N, O, oH, oW] and the input `x`.
  ///
  /// Both are laid out flat on the padded grid: each input channel as its zero-padded plane
  /// (rows oW + 2 wide), each dy plane with the same row stride and zeros in the two extra
  /// columns. Then dW[o, c, i, j] = Σ_q dy′[o, q] · x̃[c, q + i·(oW + 2) + j] over one run of q
  /// per plane — no per-row loop, and no lanes wasted on rows that are not a multiple of 16.
  static func directWeightGradient(_ dy: Tensor<Float>, input x: Tensor<Float>, _ G: Geometry, _ p: Conv2DParameters)
    -> Tensor<Float>
  {
    precondition(usesDirectWeightGradient(G, p), "conv2d weight gradient: the direct kernel does not apply to \(G)")
    let width = G.ow + G.kw - 1  // the padded rows (stride 1)
    let length = (G.oh * width + 15) / 16 * 16  // one dy plane on that grid, whole vectors
    let planeCount = length + (G.kh - 1) * width + 32  // reads reach (kH − 1) rows + 2 + 15 past it
    let chunks = Parallel.chunks(G.n)
    let wCount = G.o * G.k, wide = Conv2D.wideDirectKernels
    var partials = [Float](repeating: 0, count: chunks.count * wCount)
    x.scalars.withBase { xBase in
      dy.scalars.withBase { dyBase in
        partials.withMutableBase { pp in
          let part = SendablePointer(pp)
          Parallel.forEachChunk(chunks) { ci, images in
            // zeros outside what is written below stay zero for every image
            var planes = [Float](repeating: 0, count: G.c * planeCount)
            var grid = [Float](repeating: 0, count: G.o * length)
            planes.withMutableBase { xp in
              grid.withMutableBase { d in
                for i in images {
                  let dyi = dyBase + i * G.o * G.hw
                  for o in 0..<G.o {
                    for y in 0..<G.oh {
                      copyRow(dyi + (o * G.oh + y) * G.ow, to: d + o * length + y * width, count: G.ow)
                    }
                  }
                  for c in 0..<G.c {
                    padPlane(xBase + (i * G.c + c) * G.h * G.w, G, p, into: xp + c * planeCount, width: width)
                  }
                  // one block of eight dy planes at a time against every input plane, so the
                  // block stays in cache while all C·kH passes read it
                  for ob in stride(from: 0, to: G.o, by: directOutputBlock) {
                    for c in 0..<G.c {
                      for ki in 0..<G.kh {
                        let out = part.p + ci * wCount + ob * G.k + (c * G.kh + ki) * G.kw
                        let (block, plane) = (
                          UnsafePointer(d + ob * length), UnsafePointer(xp + c * planeCount + ki * width)
                        )
                        if wide {
                          accumulate(
                            EightPlaneTaps.self, block, plane: plane, length: length, into: out, outputStride: G.k)
                        } else {
                          accumulateInPairs(block, plane: plane, length: length, into: out, outputStride: G.k)
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
    return Tensor(shape: [G.o, G.c, G.kh, G.kw], scalars: sumOfPartials(partials, count: wCount))
  }

  /// Adds to out[k·outputStride + j] (k < the block's planes, j < 3) the dot product of dy plane
  /// k (planes `length` apart) with the plane at `plane` shifted by j, over `length` values,
  /// each loaded input vector feeding a multiply-add per dy plane.
  @inline(__always)
  static func accumulate<Block: WeightGradientBlock>(
    _: Block.Type, _ dy: UnsafePointer<Float>, plane: UnsafePointer<Float>, length: Int,
    into out: UnsafeMutablePointer<Float>, outputStride: Int
  ) {
    typealias V = SIMD16<Float>
    var block = Block()
    let xr = UnsafeRawPointer(plane), d0 = UnsafeRawPointer(dy), planeBytes = 4 * length
    var byte = 0
    while byte < planeBytes {
      let x0 = xr.loadUnaligned(fromByteOffset: byte, as: V.self)
      let x1 = xr.loadUnaligned(fromByteOffset: byte + 4, as: V.self)
      let x2 = xr.loadUnaligned(fromByteOffset: byte + 8, as: V.self)
      block.add(d0, byte: byte, planeBytes: planeBytes, x0, x1, x2)
      byte += 64
    }
    block.store(out, outputStride: outputStride)
  }

  /// ``accumulate(_:_:plane:length:into:outputStride:)`` for a block of ``directOutputBlock``
  /// dy planes as passes of the narrow block, two planes each (not inlined: its own registers).
  @inline(never)
  static func accumulateInPairs(
    _ dy: UnsafePointer<Float>, plane: UnsafePointer<Float>, length: Int, into out: UnsafeMutablePointer<Float>,
    outputStride: Int
  ) {
    for pair in stride(from: 0, to: directOutputBlock, by: TwoPlaneTaps.planes) {
      accumulate(
        TwoPlaneTaps.self, dy + pair * length, plane: plane, length: length, into: out + pair * outputStride,
        outputStride: outputStride)
    }
  }

  /// out[j] += the sum of the lanes of the j-th vector, each summed as a tree of halves (a fixed
  /// order, and a few shuffles instead of sixteen dependent additions: with passes of a few
  /// dozen vectors on small maps, the stdlib's sequential `sum()` cost more than the products).
  @inline(__always)
  static func store3(
    _ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ out: UnsafeMutablePointer<Float>
  ) {
    out[0] += laneSum(a)
    out[1] += laneSum(b)
    out[2] += laneSum(c)
  }

  /// The sum of the 16 lanes as (low half + high half), halved again down to one lane.
  @inline(__always)
  static func laneSum(_ v: SIMD16<Float>) -> Float {
    let eight = v.lowHalf + v.highHalf, four = eight.lowHalf + eight.highHalf, two = four.lowHalf + four.highHalf
    return two[0] + two[1]
  }
}
