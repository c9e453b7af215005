/// Convolutions on small feature maps (the deepest layers of detectors and descriptors: maps
/// of a few pixels with hundreds of channels), `groups == 1`.
///
/// Splitting such a layer by images leaves each chunk a product only a few dozen columns wide
/// that still streams the whole weight, and the weight gradient becomes one full-size partial
/// per chunk that must be written and summed. Here all images are unfolded side by side into
/// one [K, N·HW] matrix and the products are split by output channels instead: the weight is
/// read once, and each weight-gradient row is computed once, by one product, with no partials.
/// The split is fixed by the problem size, so results do not depend on the number of cores.
extension Conv2D {
  /// Layers with at most this many output positions in the whole batch (N·H·W) take this path:
  /// image chunks of 64 columns or fewer. Measured by alternating both paths on this machine's
  /// benchmark layers: at 2×2 × 32 images (128) it is clearly faster in both directions; at
  /// 3×3 (288) the forward is slower and the backward equal; at 4×4 (512), equal or slower.
  static let smallMapColumns = 256

  /// The products are split into this many parts (by output channel, or by image for the input
  /// gradient). Each output element is the same sum in any split, so this is a speed choice
  /// only: alternating 2, 4 and 8 parts on this machine (2 cores) on the 3×3 and 2×2 layers of
  /// tiny YOLO gave identical results, with 2 faster in backward by 5–30% (fewer copies of
  /// the shared operand packed) and equal or faster in forward.
  static let productChunks = 2

  static func usesSmallMapPath(_ G: Geometry) -> Bool { G.g == 1 && G.n * G.hw <= smallMapColumns }

  /// Unfolds every image into `cols` ([K, N·HW], image i at column i·HW), in parallel.
  static func unfoldAll(_ x: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>, _ im: Im2Col, _ G: Geometry)
  {
    let c = SendablePointer(cols), width = G.n * G.hw
    Parallel.forEachChunk(Parallel.chunks(G.n, maxChunks: 4)) { _, images in
      for i in images { im.unfold(x + i * G.c * G.h * G.w, c.p + i * G.hw, rowStride: width) }
    }
  }

  /// Output channels `channels` of the [O, images·HW] product `result` (of the images
  /// `images`, side by side) written to NCHW `out` plus the bias, then the epilogue
  /// (``finish(_:plus:_:_:channel:plane:into:)``).
  static func finishChannels(
    _ channels: Range<Int>, images: Range<Int>, of result: UnsafePointer<Float>, bias: Tensor<Float>?,
    _ epilogue: Epilogue?, _ G: Geometry, into out: UnsafeMutablePointer<Float>
  ) {
    let width = images.count * G.hw, (ph, pw) = epilogue?.planeSize(G.oh, G.ow) ?? (G.oh, G.ow)
    var plane = [Float].uninitialized(count: G.hw)  // a finished plane before it is pooled
    plane.withMutableBase { pp in
      for oc in channels {
        let b = bias?.scalars[oc] ?? 0
        for (slot, i) in images.enumerated() {
          let dst = out + (i * G.o + oc) * ph * pw, src = result + oc * width + slot * G.hw
          finish(src, plus: b, epilogue, G, channel: oc, plane: pp, into: dst)
        }
      }
    }
  }

  static func smallMapForward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters, _ G: Geometry,
    epilogue: Epilogue?, keepingColumns keep: Bool = false
  ) -> (output: Tensor<Float>, columns: [Float]?) {
    let im = Im2Col(c: G.c, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    let width = G.n * G.hw
    var cols = [Float].uninitialized(count: G.k * width)
    var result = [Float].uninitialized(count: G.o * width)
    let (ph, pw) = epilogue?.planeSize(G.oh, G.ow) ?? (G.oh, G.ow)
    var out = [Float].uninitialized(count: G.n * G.o * ph * pw)  // every element is written below
    x.scalars.withBase { xBase in
      weight.scalars.withBase { wBase in
        cols.withMutableBase { pc in
          result.withMutableBase { pr in
            out.withMutableBase { po in
              unfoldAll(xBase, into: pc, im, G)
              let (r, o) = (SendablePointer(pr), SendablePointer(po))
              Parallel.forEachChunk(Parallel.chunks(G.o, maxChunks: productChunks)) { _, channels in
                BLAS.sgemm(
                  transA: false, transB: false, m: channels.count, n: width, k: G.k, alpha: 1,
                  a: wBase + channels.lowerBound * G.k, lda: G.k, b: UnsafePointer(pc), ldb: width,
                  beta: 0, c: r.p + channels.lowerBound * width, ldc: width)
                finishChannels(channels, images: 0..<G.n, of: r.p, bias: bias, epilogue, G, into: o.p)
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: [G.n, G.o, ph, pw], scalars: out), keep ? cols : nil)
  }

  /// The backward pass of ``smallMapForward``; with the forward's `columns` the weight gradient
  /// reads them instead of unfolding the input again.
  static func smallMapBackward(
    _ dy: Tensor<Float>, input x: Tensor<Float>, weight: Tensor<Float>, _ p: Conv2DParameters, _ G: Geometry,
    needInput: Bool, needWeight: Bool, columns: Columns? = nil
  ) -> (dx: Tensor<Float>?, dw: Tensor<Float>?) {
    let im = Im2Col(c: G.c, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    let width = G.n * G.hw, imageSize = G.c * G.h * G.w
    let saved = columns?.values(for: G)
    var gathered = [Float].uninitialized(count: G.o * width)
    // the input's columns for the weight gradient (unless saved), then the column gradients
    var cols = [Float].uninitialized(count: needInput || (needWeight && saved == nil) ? G.k * width : 1)
    var dw = [Float].uninitialized(count: needWeight ? weight.count : 0)  // one product per row block
    var dx = [Float].uninitialized(count: needInput ? x.count : 0)  // cleared per chunk below
    x.scalars.withBase { xBase in
      dy.scalars.withBase { dyBase in
        weight.scalars.withBase { wBase in
          gathered.withMutableBase { pg in
            cols.withMutableBase { pc in
              let g = SendablePointer(pg)
              // dy as [O, N·HW]
              Parallel.forEachChunk(Parallel.chunks(G.n, maxChunks: 4)) { _, images in
                for i in images {
                  for oc in 0..<G.o {
                    (g.p + oc * width + i * G.hw).update(from: dyBase + (i * G.o + oc) * G.hw, count: G.hw)
                  }
                }
              }
              if needWeight {
                withColumns(saved, offset: 0, scratch: pc, unfold: { unfoldAll(xBase, into: pc, im, G) }) { b in
                  let columns = SendablePointer(UnsafeMutablePointer(mutating: b))
                  dw.withMutableBase { pw in
                    let d = SendablePointer(pw)
                    Parallel.forEachChunk(Parallel.chunks(G.o, maxChunks: productChunks)) { _, channels in
                      BLAS.sgemm(
                        transA: false, transB: true, m: channels.count, n: G.k, k: width, alpha: 1,
                        a: UnsafePointer(g.p + channels.lowerBound * width), lda: width, b: UnsafePointer(columns.p),
                        ldb: width, beta: 0, c: d.p + channels.lowerBound * G.k, ldc: G.k)
                    }
                  }
                }
              }
              if needInput {
                dx.withMutableBase { pdx in
                  let (c, out) = (SendablePointer(pc), SendablePointer(pdx))
                  Parallel.forEachChunk(Parallel.chunks(G.n, maxChunks: productChunks)) { _, images in
                    // column gradients of these images: Wᵀ [K × O] · dy [O × images·HW]
                    let first = images.lowerBound * G.hw
                    BLAS.sgemm(
                      transA: true, transB: false, m: G.k, n: images.count * G.hw, k: G.o, alpha: 1,
                      a: wBase, lda: G.k, b: UnsafePointer(g.p + first), ldb: width,
                      beta: 0, c: c.p + first, ldc: width)
                    (out.p + images.lowerBound * imageSize).update(repeating: 0, count: images.count * imageSize)
                    for i in images { im.fold(UnsafePointer(c.p + i * G.hw), out.p + i * imageSize, rowStride: width) }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (
      needInput ? Tensor(shape: x.shape, scalars: dx) : nil, needWeight ? Tensor(shape: weight.shape, scalars: dw) : nil
    )
  }
}
