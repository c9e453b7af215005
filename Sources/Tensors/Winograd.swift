/// Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional
/// Neural Networks", CVPR 2016) for 3×3, stride-1, padding-1 convolutions in NCHW.
///
/// Each 2×2 block of outputs (a tile) comes from the 4×4 input patch around it:
/// Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A. Summed over input channels, the element-wise product becomes
/// 16 matrix products, one per position ξ of the 4×4 transformed tile:
/// M[ξ] = U[ξ] [O × C] · V[ξ] [C × tiles], with U the transformed weights and V the transformed
/// input. That is 16 multiplications per tile and channel pair instead of im2col's 36.
///
/// The tiles are processed in blocks of whole tile rows sized so that V and M stay in the
/// second-level cache; blocks form fixed chunks of the batch's tile rows that run in
/// parallel. Every output element is computed by one GEMM column and a fixed sequence of adds,
/// so results do not depend on the number of cores.
enum Winograd {
  typealias V8 = SIMD8<Float>
  typealias V16 = SIMD16<Float>

  /// The transformed weights U = G g Gᵀ as 16 matrices [rows × cols]: for the forward pass
  /// [O × C] from `w` [O, C, 3, 3]; with `inputGradient`, [C × O] from the kernels rotated by
  /// 180° (the input gradient of a stride-1, padding-1 convolution is the padding-1
  /// convolution of the output gradient with those kernels, input and output channels swapped).
  static func transformedWeights(_ w: UnsafePointer<Float>, o: Int, c: Int, inputGradient: Bool) -> [Float] {
    var u = [Float].uninitialized(count: 16 * o * c)  // every element is written below
    let plane = o * c
    u.withMutableBase { pu in
      for oc in 0..<o {
        for ic in 0..<c {
          let g = w + (oc * c + ic) * 9
          // kernel row i as lanes 0–2, rotated by 180° for the input gradient
          func row(_ i: Int) -> SIMD4<Float> {
            inputGradient
              ? SIMD4(g[8 - 3 * i], g[7 - 3 * i], g[6 - 3 * i], 0) : SIMD4(g[3 * i], g[3 * i + 1], g[3 * i + 2], 0)
          }
          let (k0, k1, k2) = (row(0), row(1), row(2))
          // U = (G k) Gᵀ: each row r of G k (4 × 3) gives one row of U
          let dst = pu + (inputGradient ? ic * o + oc : oc * c + ic)
          func emit(_ i: Int, _ r: SIMD4<Float>) {
            dst[(4 * i) * plane] = r[0]
            dst[(4 * i + 1) * plane] = 0.5 * (r[0] + r[1] + r[2])
            dst[(4 * i + 2) * plane] = 0.5 * (r[0] - r[1] + r[2])
            dst[(4 * i + 3) * plane] = r[2]
          }
          emit(0, k0)
          emit(1, 0.5 * (k0 + k1 + k2))
          emit(2, 0.5 * (k0 - k1 + k2))
          emit(3, k2)
        }
      }
    }
    return u
  }

  /// Tiles per block: V [16 × C × tiles] and M [16 × O × tiles] together about 1 MiB, and at
  /// least 64 tiles so that each of the 16 products stays wide enough for sgemm.
  static func blockTiles(c: Int, o: Int) -> Int { max(64, (1 << 18) / (16 * (c + o))) }

  /// `out` [N, O, H, W] = the padding-1 convolution of `x` [N, C, H, W] with the transformed
  /// weights `u` ([16][O × C]), plus `bias` [O] when given, then `epilogue` when given.
  static func convolve(
    _ x: UnsafePointer<Float>, n: Int, c: Int, h: Int, w: Int, u: UnsafePointer<Float>, o: Int,
    bias: UnsafePointer<Float>?, epilogue: Conv2D.Epilogue? = nil, out: UnsafeMutablePointer<Float>
  ) {
    let th = (h + 1) / 2, tw = (w + 1) / 2
    let rowsPerBlock = max(1, blockTiles(c: c, o: o) / tw)
    let dst = SendablePointer(out)
    Parallel.forEachChunk(Parallel.chunks(n * th)) { _, rows in
      let capacity = min(rowsPerBlock, rows.count) * tw
      var v = [Float].uninitialized(count: 16 * c * capacity)
      var m = [Float].uninitialized(count: 16 * o * capacity)
      v.withMutableBase { pv in
        m.withMutableBase { pm in
          var first = rows.lowerBound
          while first < rows.upperBound {
            let block = first..<min(first + rowsPerBlock, rows.upperBound)
            let tiles = block.count * tw
            let t = TileGeometry(c: c, h: h, w: w, th: th, tw: tw, tiles: tiles)
            t.transformInput(x, rows: block, into: pv)
            for xi in 0..<16 {
              BLAS.sgemm(
                transA: false, transB: false, m: o, n: tiles, k: c, alpha: 1, a: u + xi * o * c, lda: c,
                b: UnsafePointer(pv + xi * c * tiles), ldb: tiles, beta: 0, c: pm + xi * o * tiles, ldc: tiles)
            }
            t.transformOutput(UnsafePointer(pm), o: o, bias: bias, epilogue: epilogue, rows: block, into: dst.p)
            first = block.upperBound
          }
        }
      }
    }
  }
}

extension Conv2D {
  /// True when Winograd F(2×2, 3×3) computes this convolution: a 3×3 kernel, stride 1,
  /// dilation 1, padding 1 on every side, one group.
  static func winogradApplies(_ G: Geometry, _ p: Conv2DParameters) -> Bool {
    G.g == 1 && G.kh == 3 && G.kw == 3 && p.strideH == 1 && p.strideW == 1 && p.dilationH == 1
      && p.dilationW == 1 && p.padTop == 1 && p.padBottom == 1 && p.padLeft == 1 && p.padRight == 1
  }

  /// Where Winograd is expected to beat im2col (``Conv2DAlgorithm/auto``), for a convolution
  /// from `c` to `o` channels on `h`×`w` maps. Measured by alternating both (CPU time, batch 32,
  /// reference network and tiny YOLO 96×96 layers, a lightly loaded 2-core AVX-512 machine):
  /// forward 1.3–1.5× and input gradient 1.1–1.3× on 16–64 input channels at 12×12 to 48×48;
  /// 0.6–1.0× on maps of 8×8 and below (a 4×4 tile wastes much of a small map, and the 16
  /// products get narrow), 0.3× at 3×3. Under heavy load (5 processes on 2 cores) the large
  /// maps lost too (0.6–0.8×): V and M then compete for cache.
  static func winogradPays(c: Int, o: Int, h: Int, w: Int) -> Bool {
    c >= 16 && o >= 16 && h >= 12 && w >= 12
  }

  static func usesWinograd(_ G: Geometry, _ p: Conv2DParameters, _ algorithm: Conv2DAlgorithm) -> Bool {
    switch algorithm {
    case .im2col: return false
    case .winograd: return winogradApplies(G, p)
    case .auto: return winogradApplies(G, p) && winogradPays(c: G.c, o: G.o, h: G.h, w: G.w)
    }
  }

  /// The input gradient goes through Winograd when the convolution it is (output gradient,
  /// O → C channels) would.
  static func usesWinogradForInputGradient(_ G: Geometry, _ p: Conv2DParameters, _ algorithm: Conv2DAlgorithm)
    -> Bool
  {
    switch algorithm {
    case .im2col: return false
    case .winograd: return winogradApplies(G, p)
    case .auto: return winogradApplies(G, p) && winogradPays(c: G.o, o: G.c, h: G.h, w: G.w)
    }
  }

  static func winogradForward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ G: Geometry, epilogue: Epilogue?
  ) -> Tensor<Float> {
    var out = [Float].uninitialized(count: G.n * G.o * G.hw)  // every element is written
    var u: [Float] = []
    weight.scalars.withBase { pw in u = Winograd.transformedWeights(pw, o: G.o, c: G.c, inputGradient: false) }
    x.scalars.withBase { xBase in
      u.withBase { pu in
        out.withMutableBase { po in
          if let bias {
            bias.scalars.withBase { pb in
              Winograd.convolve(
                xBase, n: G.n, c: G.c, h: G.h, w: G.w, u: pu, o: G.o, bias: pb, epilogue: epilogue, out: po)
            }
          } else {
            Winograd.convolve(
              xBase, n: G.n, c: G.c, h: G.h, w: G.w, u: pu, o: G.o, bias: nil, epilogue: epilogue, out: po)
          }
        }
      }
    }
    return Tensor(shape: [G.n, G.o, G.oh, G.ow], scalars: out)
  }

  /// The input gradient [N, C, H, W]: the padding-1 convolution of `dy` with the kernels
  /// rotated by 180°, input and output channels swapped.
  static func winogradInputGradient(_ dy: Tensor<Float>, weight: Tensor<Float>, _ G: Geometry) -> Tensor<Float> {
    var dx = [Float].uninitialized(count: G.n * G.c * G.h * G.w)  // every element is written
    var u: [Float] = []
    weight.scalars.withBase { pw in u = Winograd.transformedWeights(pw, o: G.o, c: G.c, inputGradient: true) }
    dy.scalars.withBase { dyBase in
      u.withBase { pu in
        dx.withMutableBase { pdx in
          Winograd.convolve(dyBase, n: G.n, c: G.o, h: G.h, w: G.w, u: pu, o: G.c, bias: nil, out: pdx)
        }
      }
    }
    return Tensor(shape: [G.n, G.c, G.h, G.w], scalars: dx)
  }
}
