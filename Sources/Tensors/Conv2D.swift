/// 2-D convolution in NCHW (forward, input gradient, weight gradient) as im2col + `sgemm` per
/// image and group, or — for 3-wide stride-1 kernels with few channels on wide maps, where the
/// im2col product is too narrow for sgemm — by the direct kernels of `Conv2D+Direct*.swift`.
/// Images are processed in parallel in fixed chunks; the weight gradient sums
/// per-chunk partials in chunk order, so results are identical on any number of cores.
public enum Conv2D {
  struct Geometry {
    let n: Int, c: Int, h: Int, w: Int, o: Int, kh: Int, kw: Int, oh: Int, ow: Int, g: Int
    var cg: Int { c / g }
    var og: Int { o / g }
    var k: Int { cg * kh * kw }
    var hw: Int { oh * ow }
  }

  static func geometry(_ input: [Int], _ weight: [Int], _ p: Conv2DParameters, op: String) -> Geometry {
    precondition(input.count == 4 && weight.count == 4, "\(op): input \(input) must be NCHW and weight \(weight) OIHW")
    let g = p.groups
    precondition(
      input[1] % g == 0 && weight[0] % g == 0 && weight[1] * g == input[1],
      "\(op): input \(input) and weight \(weight) do not agree with groups=\(g) (weight must be [O, C/groups, kH, kW])")
    let (oh, ow) = p.outputSize(h: input[2], w: input[3], kh: weight[2], kw: weight[3])
    precondition(oh > 0 && ow > 0, "\(op): kernel \(weight[2])×\(weight[3]) does not fit input \(input) with \(p)")
    return Geometry(
      n: input[0], c: input[1], h: input[2], w: input[3], o: weight[0], kh: weight[2], kw: weight[3],
      oh: oh, ow: ow, g: g)
  }

  /// The convolution of `x` [N, C, H, W] with `weight` [O, C/groups, kH, kW], plus `bias` [O],
  /// followed by `epilogue` when given (applied to each part of the output right after it is
  /// computed; see ``Epilogue``). 3×3 stride-1 padding-1 convolutions use Winograd F(2×2, 3×3)
  /// as `algorithm` says (``Conv2DAlgorithm``); layers that suit it take
  /// ``directForward(_:weight:bias:_:_:epilogue:)``.
  public static func forward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters,
    algorithm: Conv2DAlgorithm = Conv2D.algorithm, epilogue: Epilogue? = nil
  ) -> Tensor<Float> {
    forward(x, weight: weight, bias: bias, p, algorithm: algorithm, epilogue: epilogue, keepingColumns: false).output
  }

  /// ``forward(_:weight:bias:_:algorithm:epilogue:)``, also returning the im2col columns when
  /// the layer's path built them for the whole batch (`keepingColumns`; see ``Columns``).
  static func forward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters,
    algorithm: Conv2DAlgorithm, epilogue: Epilogue?, keepingColumns keep: Bool
  ) -> (output: Tensor<Float>, columns: [Float]?) {
    let G = geometry(x.shape, weight.shape, p, op: "conv2d")
    if let b = bias { precondition(b.shape == [G.o], "conv2d: bias \(b.shape) must be [\(G.o)]") }
    if let e = epilogue {
      precondition(e.scales.count == G.o, "conv2d: the epilogue has \(e.scales.count) channels, the output \(G.o)")
      precondition(
        !e.maxPool2x2 || (G.oh >= 2 && G.ow >= 2), "conv2d: a 2×2 max pool does not fit the output \(G.oh)×\(G.ow)")
    }
    if usesWinograd(G, p, algorithm) {
      guard let e = epilogue, e.maxPool2x2 else {
        return (winogradForward(x, weight: weight, bias: bias, G, epilogue: epilogue), nil)
      }
      let y = winogradForward(x, weight: weight, bias: bias, G, epilogue: e.unpooled)
      return (Pooling.maxValues(y, Pool2DParameters(kernel: 2)), nil)
    }
    if usesDirectForward(G, p) { return (directForward(x, weight: weight, bias: bias, p, G, epilogue: epilogue), nil) }
    if usesImageLanes(G, p) { return (laneForward(x, weight: weight, bias: bias, G, epilogue: epilogue), nil) }
    if usesSmallMapPath(G) {
      return smallMapForward(x, weight: weight, bias: bias, p, G, epilogue: epilogue, keepingColumns: keep)
    }
    if usesBatchedPath(G) {
      return batchedForward(x, weight: weight, bias: bias, p, G, epilogue: epilogue, keepingColumns: keep)
    }
    return (imageByImageForward(x, weight: weight, bias: bias, p, G, epilogue: epilogue), nil)
  }

  /// Whether the forward pass takes ``batchedForward`` (and the backward ``chunkedBackward``):
  /// `groups == 1` and small maps that are not small enough for ``usesSmallMapPath(_:)``.
  static func usesBatchedPath(_ G: Geometry) -> Bool { G.g == 1 && G.hw <= 256 && !usesSmallMapPath(G) }

  /// Forward pass image by image (and group by group): one [O/g × K]·[K × HW] product per image
  /// and group, into the output (or a scratch plane that the pooling epilogue reads).
  static func imageByImageForward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters, _ G: Geometry,
    epilogue: Epilogue?
  ) -> Tensor<Float> {
    let pointwise = p.isPointwise(kh: G.kh, kw: G.kw)
    let im = Im2Col(c: G.cg, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    let pooled = epilogue?.maxPool2x2 == true
    let (ph, pw) = epilogue?.planeSize(G.oh, G.ow) ?? (G.oh, G.ow)
    var out = [Float].uninitialized(count: G.n * G.o * ph * pw)  // every element is written below
    x.scalars.withBase { xBase in
      weight.scalars.withBase { wBase in
        out.withMutableBase { po in
          let oBase = SendablePointer(po)
          Parallel.forEachChunk(Parallel.chunks(G.n)) { _, images in
            var cols = [Float].uninitialized(count: pointwise ? 1 : G.k * G.hw)
            // with a pooling epilogue, one group's full-size output lives here until it is pooled,
            // followed by two mapped rows
            var scratch = [Float].uninitialized(count: pooled ? G.og * G.hw + 2 * G.ow : 1)
            cols.withMutableBase { pc in
              scratch.withMutableBase { ps in
                for i in images {
                  for gi in 0..<G.g {
                    let target = pooled ? ps : oBase.p + (i * G.o + gi * G.og) * G.hw
                    if let bias {  // start from the bias so the product accumulates onto it (beta = 1)
                      for j in 0..<G.og {
                        (target + j * G.hw).update(repeating: bias.scalars[gi * G.og + j], count: G.hw)
                      }
                    }
                    let xi = xBase + (i * G.c + gi * G.cg) * G.h * G.w
                    let b: UnsafePointer<Float>
                    if pointwise { b = xi } else { im.unfold(xi, pc); b = UnsafePointer(pc) }
                    BLAS.sgemm(
                      transA: false, transB: false, m: G.og, n: G.hw, k: G.k, alpha: 1,
                      a: wBase + gi * G.og * G.k, lda: G.k, b: b, ldb: G.hw,
                      beta: bias == nil ? 0 : 1, c: target, ldc: G.hw)
                    guard let epilogue else { continue }
                    for j in 0..<G.og {  // this group's output channels, still in cache
                      let oc = gi * G.og + j
                      if pooled {
                        epilogue.mapAndPool(
                          target + j * G.hw, oh: G.oh, ow: G.ow, channel: oc, rows: ps + G.og * G.hw,
                          into: oBase.p + (i * G.o + oc) * ph * pw)
                      } else {
                        epilogue.apply(target + j * G.hw, G.hw, channel: oc)
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

  /// Forward pass for `groups == 1` on small feature maps: each chunk's images are unfolded side
  /// by side into one [K, images·HW] block (the chunks' blocks one after the other), so the
  /// product is one wide GEMM per chunk instead of one narrow GEMM per image; the
  /// [O, images·HW] result is then scattered to NCHW with the bias. The blocks are returned
  /// when `keepingColumns` (``Columns``; ``chunkedBackward`` reads them for the same chunks).
  static func batchedForward(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters, _ G: Geometry,
    epilogue: Epilogue?, keepingColumns keep: Bool = false
  ) -> (output: Tensor<Float>, columns: [Float]?) {
    let im = Im2Col(c: G.c, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    let (ph, pw) = epilogue?.planeSize(G.oh, G.ow) ?? (G.oh, G.ow)
    var columns = [Float].uninitialized(count: G.k * G.n * G.hw)  // every chunk unfolds its own block
    var out = [Float].uninitialized(count: G.n * G.o * ph * pw)  // every element is written below
    x.scalars.withBase { xBase in
      weight.scalars.withBase { wBase in
        columns.withMutableBase { pcAll in
          out.withMutableBase { po in
            let (oBase, colBase) = (SendablePointer(po), SendablePointer(pcAll))
            Parallel.forEachChunk(Parallel.chunks(G.n, maxChunks: 4)) { _, images in
              let cols = images.count * G.hw, pc = colBase.p + images.lowerBound * G.hw * G.k
              var result = [Float].uninitialized(count: G.o * cols)
              result.withMutableBase { pr in
                for (slot, i) in images.enumerated() {
                  im.unfold(xBase + i * G.c * G.h * G.w, pc + slot * G.hw, rowStride: cols)
                }
                BLAS.sgemm(
                  transA: false, transB: false, m: G.o, n: cols, k: G.k, alpha: 1, a: wBase, lda: G.k,
                  b: UnsafePointer(pc), ldb: cols, beta: 0, c: pr, ldc: cols)
                finishChannels(0..<G.o, images: images, of: pr, bias: bias, epilogue, G, into: oBase.p)
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: [G.n, G.o, ph, pw], scalars: out), keep ? columns : nil)
  }

  /// Writes one output plane from the product's `src` (without bias): src + bias, or the
  /// epilogue applied to it; with a pooling epilogue through `plane` (scratch of HW values)
  /// into the pooled plane `dst`.
  @inline(__always)
  static func finish(
    _ src: UnsafePointer<Float>, plus b: Float, _ epilogue: Epilogue?, _ G: Geometry, channel: Int,
    plane: UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>
  ) {
    guard let epilogue else {
      for j in 0..<G.hw { dst[j] = src[j] + b }
      return
    }
    guard epilogue.maxPool2x2 else { return epilogue.scatter(src, plus: b, into: dst, G.hw, channel: channel) }
    epilogue.scatter(src, plus: b, into: plane, G.hw, channel: channel)
    epilogue.pool(plane, oh: G.oh, ow: G.ow, into: dst)
  }

  /// The input and weight gradients (each only when needed) for the output gradient `dy`,
  /// with the strategy that suits the layer, as ``forward(_:weight:bias:_:)`` chooses its own:
  /// grouped convolutions and large maps (≥ ``largeMapThreshold`` positions per image) go image
  /// by image, small maps take ``smallMapBackward``, the rest ``chunkedBackward``. The input
  /// gradient of a 3×3 stride-1 padding-1 convolution uses Winograd as `algorithm` says (its
  /// weight gradient does not: im2col or the direct kernel). Otherwise, layers that suit the
  /// direct kernels take them:
  /// the input gradient as the transposed direct convolution
  /// (``directInputGradient(_:weight:_:_:)``), the weight gradient summed directly
  /// (``directWeightGradient(_:input:_:_:)``). `columns` are the forward's im2col columns
  /// (``forwardKeepingColumns(_:weight:bias:_:algorithm:)``): where they fit the layer's path the
  /// weight gradient reads them instead of unfolding the input again (bit-identical).
  public static func backward(
    _ dy: Tensor<Float>, input x: Tensor<Float>, weight: Tensor<Float>, _ p: Conv2DParameters,
    needInput: Bool, needWeight: Bool, algorithm: Conv2DAlgorithm = Conv2D.algorithm, columns: Columns? = nil
  ) -> (dx: Tensor<Float>?, dw: Tensor<Float>?) {
    let G = geometry(x.shape, weight.shape, p, op: "conv2d backward")
    precondition(
      dy.shape == [G.n, G.o, G.oh, G.ow],
      "conv2d backward: output gradient \(dy.shape) does not match [\(G.n), \(G.o), \(G.oh), \(G.ow)]")
    if needInput && usesWinogradForInputGradient(G, p, algorithm) {
      let dx = winogradInputGradient(dy, weight: weight, G)
      let dw =
        needWeight
        ? backward(
          dy, input: x, weight: weight, p, needInput: false, needWeight: true, algorithm: .im2col, columns: columns
        ).dw : nil
      return (dx, dw)
    }
    if usesImageLanes(G, p) {
      return (
        needInput ? laneInputGradient(dy, weight: weight, G) : nil,
        needWeight ? laneWeightGradient(dy, input: x, G) : nil
      )
    }
    if needInput, let (T, q) = directInputGradientProblem(G, p) {
      let dw =
        needWeight
        ? backward(dy, input: x, weight: weight, p, needInput: false, needWeight: true, columns: columns).dw : nil
      return (directInputGradient(dy, weight: weight, T, q), dw)
    }
    if needWeight && usesDirectWeightGradient(G, p) {
      let dx =
        needInput
        ? backward(dy, input: x, weight: weight, p, needInput: true, needWeight: false, algorithm: algorithm).dx : nil
      return (dx, directWeightGradient(dy, input: x, G, p))
    }
    if usesSmallMapPath(G) {
      return smallMapBackward(
        dy, input: x, weight: weight, p, G, needInput: needInput, needWeight: needWeight, columns: columns)
    }
    if G.g != 1 || G.hw >= largeMapThreshold {
      return (
        needInput ? inputGradient(dy, weight: weight, inputShape: x.shape, p) : nil,
        needWeight ? weightGradient(dy, input: x, weightShape: weight.shape, p) : nil
      )
    }
    return chunkedBackward(
      dy, input: x, weight: weight, p, G, needInput: needInput, needWeight: needWeight, columns: columns)
  }

  /// Backward pass for `groups == 1` on mid-sized maps: each chunk's images are batched into
  /// single products: the chunk's output gradient is gathered to [O, images·HW], so the weight
  /// gradient is one [O × images·HW]·[images·HW × K] product and the column gradient one
  /// [K × O]·[O × images·HW] product, instead of one narrow product per image. With the
  /// forward's `columns` (``batchedForward``'s, for the same chunks) the weight gradient reads
  /// them instead of unfolding the input again.
  static func chunkedBackward(
    _ dy: Tensor<Float>, input x: Tensor<Float>, weight: Tensor<Float>, _ p: Conv2DParameters, _ G: Geometry,
    needInput: Bool, needWeight: Bool, columns: Columns? = nil
  ) -> (dx: Tensor<Float>?, dw: Tensor<Float>?) {
    let im = Im2Col(c: G.c, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    let chunks = Parallel.chunks(G.n, maxChunks: 4)
    let saved = columns?.values(for: G)
    let wCount = weight.count
    // Products with beta = 0 write every element of `partials`; `dx` is cleared per chunk, just
    // before its columns are folded into it (while it is in cache, and in parallel).
    var partials = [Float].uninitialized(count: needWeight ? chunks.count * wCount : 1)
    var dx = [Float].uninitialized(count: needInput ? x.count : 1)
    x.scalars.withBase { xBase in
      dy.scalars.withBase { dyBase in
        weight.scalars.withBase { wBase in
          partials.withMutableBase { pp in
            dx.withMutableBase { pdx in
              let (part, dxOut) = (SendablePointer(pp), SendablePointer(pdx))
              Parallel.forEachChunk(chunks) { ci, images in
                let m = images.count, cols = m * G.hw
                var gathered = [Float].uninitialized(count: G.o * cols)
                // the input's columns for the weight gradient (unless saved), then the column gradients
                var colBuf = [Float].uninitialized(count: needInput || (needWeight && saved == nil) ? G.k * cols : 1)
                gathered.withMutableBase { pg in
                  colBuf.withMutableBase { pc in
                    for (slot, i) in images.enumerated() {
                      for oc in 0..<G.o {
                        (pg + oc * cols + slot * G.hw).update(from: dyBase + (i * G.o + oc) * G.hw, count: G.hw)
                      }
                    }
                    if needWeight {
                      // this chunk's block of the forward's columns, or the chunk unfolded here
                      let unfold = {
                        for (slot, i) in images.enumerated() {
                          im.unfold(xBase + i * G.c * G.h * G.w, pc + slot * G.hw, rowStride: cols)
                        }
                      }
                      withColumns(saved, offset: images.lowerBound * G.hw * G.k, scratch: pc, unfold: unfold) { b in
                        BLAS.sgemm(
                          transA: false, transB: true, m: G.o, n: G.k, k: cols, alpha: 1,
                          a: UnsafePointer(pg), lda: cols, b: b, ldb: cols, beta: 0, c: part.p + ci * wCount, ldc: G.k)
                      }
                    }
                    if needInput {
                      BLAS.sgemm(
                        transA: true, transB: false, m: G.k, n: cols, k: G.o, alpha: 1,
                        a: wBase, lda: G.k, b: UnsafePointer(pg), ldb: cols, beta: 0, c: pc, ldc: cols)
                      let imageSize = G.c * G.h * G.w
                      (dxOut.p + images.lowerBound * imageSize).update(repeating: 0, count: m * imageSize)
                      for (slot, i) in images.enumerated() {
                        im.fold(pc + slot * G.hw, dxOut.p + i * imageSize, rowStride: cols)
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
    let dw = needWeight ? Tensor(shape: weight.shape, scalars: sumOfPartials(partials, count: wCount)) : nil
    return (needInput ? Tensor(shape: x.shape, scalars: dx) : nil, dw)
  }

  /// From this many output positions per image (e.g. 64×64) the backward pass works image by
  /// image: one image's columns stay in cache between unfolding and the product, and `dy` is
  /// used in place instead of being gathered. Alternating both on the benchmark's 3→16 layer at
  /// 64×64, this took its backward from 24–31 to 42–53 GFLOP/s; at 32×32 they were even.
  static let largeMapThreshold = 2048

  /// The gradient with respect to the input, given the output gradient `dy`.
  public static func inputGradient(_ dy: Tensor<Float>, weight: Tensor<Float>, inputShape: [Int], _ p: Conv2DParameters)
    -> Tensor<Float>
  {
    let G = geometry(inputShape, weight.shape, p, op: "conv2d backward")
    precondition(
      dy.shape == [G.n, G.o, G.oh, G.ow],
      "conv2d backward: output gradient \(dy.shape) does not match [\(G.n), \(G.o), \(G.oh), \(G.ow)]")
    let pointwise = p.isPointwise(kh: G.kh, kw: G.kw)
    let im = Im2Col(c: G.cg, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    var dx = [Float](repeating: 0, count: inputShape.product)
    dy.scalars.withBase { dyBase in
      weight.scalars.withBase { wBase in
        dx.withMutableBase { pdx in
          let dxBase = SendablePointer(pdx)
          Parallel.forEachChunk(Parallel.chunks(G.n)) { _, images in
            var cols = [Float](repeating: 0, count: pointwise ? 1 : G.k * G.hw)
            cols.withMutableBase { pc in
              for i in images {
                for gi in 0..<G.g {
                  let dxi = dxBase.p + (i * G.c + gi * G.cg) * G.h * G.w
                  let target = pointwise ? dxi : pc
                  BLAS.sgemm(
                    transA: true, transB: false, m: G.k, n: G.hw, k: G.og, alpha: 1,
                    a: wBase + gi * G.og * G.k, lda: G.k, b: dyBase + (i * G.o + gi * G.og) * G.hw, ldb: G.hw,
                    beta: 0, c: target, ldc: G.hw)
                  if !pointwise { im.fold(pc, dxi) }
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: inputShape, scalars: dx)
  }

  /// The gradient with respect to the weight [O, C/groups, kH, kW].
  public static func weightGradient(
    _ dy: Tensor<Float>, input x: Tensor<Float>, weightShape: [Int], _ p: Conv2DParameters
  ) -> Tensor<Float> {
    let G = geometry(x.shape, weightShape, p, op: "conv2d weight gradient")
    precondition(
      dy.shape == [G.n, G.o, G.oh, G.ow],
      "conv2d weight gradient: output gradient \(dy.shape) does not match [\(G.n), \(G.o), \(G.oh), \(G.ow)]")
    let pointwise = p.isPointwise(kh: G.kh, kw: G.kw)
    let im = Im2Col(c: G.cg, h: G.h, w: G.w, kh: G.kh, kw: G.kw, oh: G.oh, ow: G.ow, p: p)
    let chunks = Parallel.chunks(G.n)
    let wCount = weightShape.product
    var partials = [Float](repeating: 0, count: chunks.count * wCount)
    x.scalars.withBase { xBase in
      dy.scalars.withBase { dyBase in
        partials.withMutableBase { pp in
          let part = SendablePointer(pp)
          Parallel.forEachChunk(chunks) { ci, images in
            var cols = [Float](repeating: 0, count: pointwise ? 1 : G.k * G.hw)
            cols.withMutableBase { pc in
              for i in images {
                for gi in 0..<G.g {
                  let xi = xBase + (i * G.c + gi * G.cg) * G.h * G.w
                  let b: UnsafePointer<Float>
                  if pointwise { b = xi } else { im.unfold(xi, pc); b = UnsafePointer(pc) }
                  BLAS.sgemm(
                    transA: false, transB: true, m: G.og, n: G.k, k: G.hw, alpha: 1,
                    a: dyBase + (i * G.o + gi * G.og) * G.hw, lda: G.hw, b: b, ldb: G.hw,
                    beta: 1, c: part.p + ci * wCount + gi * G.og * G.k, ldc: G.k)
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: weightShape, scalars: sumOfPartials(partials, count: wCount))
  }

  /// The per-chunk partial sums (consecutive blocks of `count`) added in chunk order, so the
  /// result does not depend on which core computed which chunk.
  static func sumOfPartials(_ partials: [Float], count: Int) -> [Float] {
    let parts = partials.count / max(count, 1)
    var sum = [Float].uninitialized(count: count)  // every element is written below
    partials.withBase { src in
      sum.withMutableBase { dst in
        let d = SendablePointer(dst)
        // each element is 0 + p₀ + p₁ + … in chunk order, 16 elements per vector: the same
        // additions as one element at a time, so blocks and lanes cannot change a result
        Parallel.forEachBlock(count: count, minimumBlock: 1 << 14) { range in
          var j = range.lowerBound
          while j + 16 <= range.upperBound {
            var acc = SIMD16<Float>(repeating: 0)
            for c in 0..<parts { acc += VectorSums.load(src + c * count + j) }
            UnsafeMutableRawPointer(d.p + j).storeBytes(of: acc, as: SIMD16<Float>.self)
            j += 16
          }
          while j < range.upperBound {
            var acc: Float = 0
            for c in 0..<parts { acc += src[c * count + j] }
            d.p[j] = acc
            j += 1
          }
        }
      }
    }
    return sum
  }

  /// The gradient with respect to the bias: the sum of `dy` over N, H and W.
  public static func biasGradient(_ dy: Tensor<Float>) -> Tensor<Float> {
    precondition(dy.rank >= 2, "conv2d bias gradient: output gradient \(dy.shape) must be [N, C, …]")
    let (n, c) = (dy.shape[0], dy.shape[1])
    let inner = dy.count / max(1, n * c)
    var out = [Float](repeating: 0, count: c)
    dy.scalars.withBase { pg in
      out.withMutableBase { po in
        let o = SendablePointer(po)
        Parallel.forEachChunk(Parallel.chunks(c)) { _, channels in
          for ch in channels {
            var total: Float = 0
            for i in 0..<n { total += VectorSums.sum(pg + (i * c + ch) * inner, inner) }
            o.p[ch] = total
          }
        }
      }
    }
    return Tensor(shape: [c], scalars: out)
  }
}
