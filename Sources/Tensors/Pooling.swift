/// Max and average pooling over NCHW tensors, with gradients, plus global average pooling.
public enum Pooling {
  static func dims(_ shape: [Int], _ p: Pool2DParameters, op: String) -> (nc: Int, h: Int, w: Int, oh: Int, ow: Int) {
    precondition(shape.count == 4, "\(op): input must be NCHW, got \(shape)")
    let (oh, ow) = p.outputSize(h: shape[2], w: shape[3])
    precondition(oh > 0 && ow > 0, "\(op): window \(p.kernelH)×\(p.kernelW) does not fit input \(shape)")
    return (shape[0] * shape[1], shape[2], shape[3], oh, ow)
  }

  /// Max pooling; also returns, for each output, the flat index of the chosen input in its plane
  /// (needed by the backward pass). Padding never wins (it acts as −∞). Planes are processed in
  /// parallel chunks.
  public static func maxForward(_ x: Tensor<Float>, _ p: Pool2DParameters) -> (
    output: Tensor<Float>, argmax: Tensor<Int32>
  ) {
    let d = dims(x.shape, p, op: "maxPool2d")
    var out = [Float].uninitialized(count: d.nc * d.oh * d.ow)  // every element is written below
    var arg = [Int32].uninitialized(count: out.count)
    let simple =
      p.kernelH == 2 && p.kernelW == 2 && p.strideH == 2 && p.strideW == 2
      && p.padTop == 0 && p.padLeft == 0 && d.oh * 2 <= d.h && d.ow * 2 <= d.w
    x.scalars.withBase { px in
      out.withMutableBase { po in
        arg.withMutableBase { pa in
          let (o, a) = (SendablePointer(po), SendablePointer(pa))
          Parallel.forEachChunk(Parallel.chunks(d.nc)) { _, planes in
            for plane in planes {
              let src = px + plane * d.h * d.w
              let dst = o.p + plane * d.oh * d.ow, dstArg = a.p + plane * d.oh * d.ow
              if simple {
                for oi in 0..<d.oh {
                  let r0 = 2 * oi * d.w, r1 = r0 + d.w
                  Pooling.maxRow2x2(
                    src + r0, src + r1, topIndex: r0, bottomIndex: r1, ow: d.ow, into: dst + oi * d.ow,
                    argmax: dstArg + oi * d.ow)
                }
                continue
              }
              for oi in 0..<d.oh {
                let y0 = oi * p.strideH - p.padTop
                let ys = max(y0, 0), ye = min(y0 + p.kernelH, d.h)
                for oj in 0..<d.ow {
                  let x0 = oj * p.strideW - p.padLeft
                  let xs = max(x0, 0), xe = min(x0 + p.kernelW, d.w)
                  var best = -Float.infinity, bi = ys * d.w + xs
                  for yy in ys..<max(ys, ye) {
                    for xx in xs..<max(xs, xe) where src[yy * d.w + xx] > best {
                      best = src[yy * d.w + xx]; bi = yy * d.w + xx
                    }
                  }
                  dst[oi * d.ow + oj] = best
                  dstArg[oi * d.ow + oj] = Int32(bi)
                }
              }
            }
          }
        }
      }
    }
    let s = [x.shape[0], x.shape[1], d.oh, d.ow]
    return (Tensor(shape: s, scalars: out), Tensor(shape: s, scalars: arg))
  }

  /// One output row of a 2×2, stride-2 max pool of the input rows `top` and `bottom`, with the
  /// index of each winner in its plane (`topIndex` + column for the top row, `bottomIndex` +
  /// column for the bottom one): the window is compared as (top-left, top-right, bottom-left,
  /// bottom-right) with strict `>`, so ties and NaNs resolve to the first. Eight outputs per
  /// step, then one at a time with the same comparisons.
  @inline(__always)
  static func maxRow2x2(
    _ top: UnsafePointer<Float>, _ bottom: UnsafePointer<Float>, topIndex: Int, bottomIndex: Int, ow: Int,
    into out: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
  ) {
    typealias V16 = SIMD16<Float>
    let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
    var oj = 0
    while oj + 8 <= ow {
      let t = UnsafeRawPointer(top + 2 * oj).loadUnaligned(as: V16.self)
      let b = UnsafeRawPointer(bottom + 2 * oj).loadUnaligned(as: V16.self)
      var best = t.evenHalf
      var index = lanes &+ Int32(topIndex + 2 * oj)
      func challenge(_ value: SIMD8<Float>, _ start: Int) {
        let wins = value .> best
        best.replace(with: value, where: wins)
        index.replace(with: lanes &+ Int32(start), where: wins)
      }
      challenge(t.oddHalf, topIndex + 2 * oj + 1)
      challenge(b.evenHalf, bottomIndex + 2 * oj)
      challenge(b.oddHalf, bottomIndex + 2 * oj + 1)
      UnsafeMutableRawPointer(out + oj).storeBytes(of: best, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(argmax + oj).storeBytes(of: index, as: SIMD8<Int32>.self)
      oj += 8
    }
    for j in oj..<ow {
      let c0 = 2 * j
      var best = top[c0], bi = topIndex + c0
      if top[c0 + 1] > best { best = top[c0 + 1]; bi = topIndex + c0 + 1 }
      if bottom[c0] > best { best = bottom[c0]; bi = bottomIndex + c0 }
      if bottom[c0 + 1] > best { best = bottom[c0 + 1]; bi = bottomIndex + c0 + 1 }
      out[j] = best
      argmax[j] = Int32(bi)
    }
  }

  /// Routes each output gradient to the input that won the max.
  public static func maxBackward(_ dy: Tensor<Float>, argmax: Tensor<Int32>, inputShape: [Int]) -> Tensor<Float> {
    precondition(dy.shape == argmax.shape, "maxPool2d backward: gradient \(dy.shape) and argmax \(argmax.shape) differ")
    precondition(
      inputShape.count == 4 && Array(inputShape.prefix(2)) == Array(dy.shape.prefix(2)),
      "maxPool2d backward: input shape \(inputShape) does not match gradient \(dy.shape) in N and C")
    let hw = inputShape[2] * inputShape[3], ohw = dy.shape[2] * dy.shape[3]
    var dx = [Float].uninitialized(count: inputShape.product)  // cleared per chunk below
    dy.scalars.withBase { pg in
      argmax.scalars.withBase { pa in
        dx.withMutableBase { pd in
          let out = SendablePointer(pd)
          Parallel.forEachChunk(Parallel.chunks(dy.shape[0] * dy.shape[1])) { _, planes in
            (out.p + planes.lowerBound * hw).update(repeating: 0, count: planes.count * hw)
            for plane in planes {
              for j in 0..<ohw { out.p[plane * hw + Int(pa[plane * ohw + j])] += pg[plane * ohw + j] }
            }
          }
        }
      }
    }
    return Tensor(shape: inputShape, scalars: dx)
  }

  /// The window of output (oi, oj): clipped bounds and the divisor PyTorch uses.
  static func avgWindow(_ oi: Int, _ oj: Int, _ h: Int, _ w: Int, _ p: Pool2DParameters) -> (
    ys: Int, ye: Int, xs: Int, xe: Int, div: Float
  ) {
    let y0 = oi * p.strideH - p.padTop, x0 = oj * p.strideW - p.padLeft
    let y1 = min(y0 + p.kernelH, h + p.padBottom), x1 = min(x0 + p.kernelW, w + p.padRight)
    let padded = (y1 - y0) * (x1 - x0)
    let ys = max(y0, 0), xs = max(x0, 0), ye = min(y1, h), xe = min(x1, w)
    let div = p.countIncludePad ? padded : (ye - ys) * (xe - xs)
    return (ys, ye, xs, xe, Float(max(div, 1)))
  }

  /// Average pooling.
  public static func avgForward(_ x: Tensor<Float>, _ p: Pool2DParameters) -> Tensor<Float> {
    let d = dims(x.shape, p, op: "avgPool2d")
    var out = [Float](repeating: 0, count: d.nc * d.oh * d.ow)
    for plane in 0..<d.nc {
      let base = plane * d.h * d.w
      for oi in 0..<d.oh {
        for oj in 0..<d.ow {
          let win = avgWindow(oi, oj, d.h, d.w, p)
          var s: Float = 0
          for yy in win.ys..<max(win.ys, win.ye) {
            for xx in win.xs..<max(win.xs, win.xe) { s += x.scalars[base + yy * d.w + xx] }
          }
          out[(plane * d.oh + oi) * d.ow + oj] = s / win.div
        }
      }
    }
    return Tensor(shape: [x.shape[0], x.shape[1], d.oh, d.ow], scalars: out)
  }

  /// Spreads each output gradient evenly over its window.
  public static func avgBackward(_ dy: Tensor<Float>, inputShape: [Int], _ p: Pool2DParameters) -> Tensor<Float> {
    let d = dims(inputShape, p, op: "avgPool2d backward")
    var dx = [Float](repeating: 0, count: inputShape.product)
    for plane in 0..<d.nc {
      let base = plane * d.h * d.w
      for oi in 0..<d.oh {
        for oj in 0..<d.ow {
          let win = avgWindow(oi, oj, d.h, d.w, p)
          let g = dy.scalars[(plane * d.oh + oi) * d.ow + oj] / win.div
          for yy in win.ys..<max(win.ys, win.ye) {
            for xx in win.xs..<max(win.xs, win.xe) { dx[base + yy * d.w + xx] += g }
          }
        }
      }
    }
    return Tensor(shape: inputShape, scalars: dx)
  }

  /// Global average pooling: [N, C, H, W] → [N, C, 1, 1].
  public static func globalAvgForward(_ x: Tensor<Float>) -> Tensor<Float> {
    precondition(x.rank == 4, "globalAvgPool: input must be NCHW, got \(x.shape)")
    return x.mean(axes: [2, 3], keepDims: true)
  }

  /// Nearest-neighbour upsampling by an integer `factor` in H and W; planes in parallel chunks
  /// (run on one core, the two passes of a YOLO head's upsample left the other core idle for
  /// ≈ 0.6 % of a tiny YOLO step).
  public static func upsampleNearest(_ x: Tensor<Float>, factor: Int) -> Tensor<Float> {
    precondition(
      x.rank == 4 && factor > 0, "upsample: input must be NCHW and factor positive, got \(x.shape), \(factor)")
    let (h, w) = (x.shape[2], x.shape[3])
    let (oh, ow) = (h * factor, w * factor)
    var out = [Float].uninitialized(count: x.shape[0] * x.shape[1] * oh * ow)  // every element is written
    forEachPlane(of: x, h * w, into: &out, oh * ow) { input, output in
      for oi in 0..<oh {
        let (row, target) = (input + oi / factor * w, output + oi * ow)
        for j in 0..<w {
          for f in 0..<factor { target[j * factor + f] = row[j] }
        }
      }
    }
    return Tensor(shape: [x.shape[0], x.shape[1], oh, ow], scalars: out)
  }

  /// The gradient of nearest upsampling: each input receives the sum over its block, in row
  /// order (rows, then columns within a row, as the block's outputs are laid out); planes in
  /// parallel chunks.
  public static func upsampleNearestBackward(_ dy: Tensor<Float>, factor: Int) -> Tensor<Float> {
    let (oh, ow) = (dy.shape[2], dy.shape[3])
    let (h, w) = (oh / factor, ow / factor)
    var dx = [Float](repeating: 0, count: dy.shape[0] * dy.shape[1] * h * w)
    forEachPlane(of: dy, oh * ow, into: &dx, h * w) { input, output in
      for oi in 0..<(h * factor) {
        let (row, target) = (input + oi * ow, output + oi / factor * w)
        for j in 0..<w {
          for f in 0..<factor { target[j] += row[j * factor + f] }
        }
      }
    }
    return Tensor(shape: [dy.shape[0], dy.shape[1], h, w], scalars: dx)
  }

  /// Runs `body` on each plane of `x` [N, C, …] (`inputSize` floats) and its plane of `out`
  /// (`outputSize` floats), in parallel chunks of planes: nearest upsampling, its gradient and
  /// the value-only max pool.
  static func forEachPlane(
    of x: Tensor<Float>, _ inputSize: Int, into out: inout [Float], _ outputSize: Int,
    _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) {
    x.scalars.withBase { src in
      out.withMutableBase { po in
        let o = SendablePointer(po)
        Parallel.forEachChunk(Parallel.chunks(x.shape[0] * x.shape[1])) { _, range in
          for plane in range { body(src + plane * inputSize, o.p + plane * outputSize) }
        }
      }
    }
  }
}
