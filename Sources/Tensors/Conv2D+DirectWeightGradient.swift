/// The weight gradient of 3-wide, stride-1 convolutions with few channels on wide maps, summed
/// directly from the input and the output gradient, without im2col.
///
/// For the first layers of detectors (3→8 at 96×96, 8→16 at 48×48) the im2col product is
/// [O × HW]·[HW × K] with O and K of a few dozen and HW in the thousands: a shape where sgemm
/// runs at a fraction of its rate, after im2col has written K·HW columns for it. Here each
/// element dW[o, c, i, j] = Σ_{y,x} dy[o, y, x] · x̃[c, y + i, x + j] (x̃: the zero-padded input)
/// is summed in 16 lanes along the rows of dy, for four output channels and the three taps of a
/// kernel row at a time (12 accumulators), so each loaded vector feeds several fused
/// multiply-adds. Images are split into the fixed chunks of ``Parallel`` and the per-chunk
/// partials are added in chunk order, so results do not depend on the number of cores.
extension Conv2D {
  /// Output channels summed together (accumulators: this × the kernel width).
  static let directChannelBlock = 4

  /// Whether ``directWeightGradient(_:input:_:_:)`` computes this layer's weight gradient:
  /// one group, a kernel 3 wide, stride and dilation 1, output channels a multiple of 4, rows of
  /// at least 16 outputs, and few enough input channels that im2col's product is narrow
  /// (C·kH·kW ≤ ``directMaxK``).
  static func usesDirectWeightGradient(_ G: Geometry, _ p: Conv2DParameters) -> Bool {
    G.g == 1 && G.kw == 3 && p.strideH == 1 && p.strideW == 1 && p.dilationH == 1 && p.dilationW == 1
      && G.o % directChannelBlock == 0 && G.ow >= 16 && G.k <= directMaxK
  }

  /// The largest C·kH·kW that takes the direct weight gradient. Measured against im2col on this
  /// machine (batch 16, alternating): 2.3–4× faster at 3→8 @96 and 3→16 @64, 1.5× on the
  /// whole backward of 8→16 @48, slower from 16 input channels (16→32 @24: 2.0 against 1.6 ms).
  static let directMaxK = 72

  /// dW [O, C, kH, 3] for the output gradient `dy` [N, O, oH, oW] and the input `x`.
  static func directWeightGradient(_ dy: Tensor<Float>, input x: Tensor<Float>, _ G: Geometry, _ p: Conv2DParameters)
    -> Tensor<Float>
  {
    precondition(usesDirectWeightGradient(G, p), "conv2d weight gradient: the direct kernel does not apply to \(G)")
    let rowWidth = (G.ow + 15) / 16 * 16  // dy rows, padded with zeros to whole vectors
    let paddedWidth = rowWidth + G.kw - 1, paddedHeight = G.oh + G.kh - 1
    let copiesDy = rowWidth != G.ow
    let chunks = Parallel.chunks(G.n)
    let wCount = G.o * G.k
    var partials = [Float](repeating: 0, count: chunks.count * wCount)
    x.scalars.withBase { xBase in
      dy.scalars.withBase { dyBase in
        partials.withMutableBase { pp in
          let part = SendablePointer(pp)
          Parallel.forEachChunk(chunks) { ci, images in
            var plane = [Float](repeating: 0, count: paddedHeight * paddedWidth)
            var rows = [Float](repeating: 0, count: copiesDy ? G.o * G.oh * rowWidth : 1)  // 1: withMutableBase needs storage
            plane.withMutableBase { xp in
              rows.withMutableBase { dp in
                for i in images {
                  let dyi = dyBase + i * G.o * G.hw
                  let d: UnsafePointer<Float>
                  if copiesDy {
                    for r in 0..<(G.o * G.oh) { (dp + r * rowWidth).update(from: dyi + r * G.ow, count: G.ow) }
                    d = UnsafePointer(dp)
                  } else {
                    d = dyi
                  }
                  for c in 0..<G.c {
                    padPlane(xBase + (i * G.c + c) * G.h * G.w, G, p, into: xp, width: paddedWidth)
                    for ki in 0..<G.kh {
                      for ob in stride(from: 0, to: G.o, by: directChannelBlock) {
                        accumulateRow(
                          d + ob * G.oh * rowWidth, plane: UnsafePointer(xp + ki * paddedWidth), rows: G.oh,
                          rowWidth: rowWidth, paddedWidth: paddedWidth,
                          into: part.p + ci * wCount + ob * G.k + (c * G.kh + ki) * G.kw, outputStride: G.k)
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
    var dw = [Float](repeating: 0, count: wCount)
    for c in 0..<chunks.count {
      for j in 0..<wCount { dw[j] += partials[c * wCount + j] }
    }
    return Tensor(shape: [G.o, G.c, G.kh, G.kw], scalars: dw)
  }

  /// Copies one input channel into `xp` with the convolution's zero padding: row r, column c of
  /// `xp` (rows `width` apart) is x[r − padTop, c − padLeft], or 0 outside the image. Columns
  /// past the padded image (up to `width`) are 0 too.
  static func padPlane(
    _ x: UnsafePointer<Float>, _ G: Geometry, _ p: Conv2DParameters, into xp: UnsafeMutablePointer<Float>, width: Int
  ) {
    let height = G.oh + G.kh - 1
    for r in 0..<height {
      let dst = xp + r * width, iy = r - p.padTop
      guard iy >= 0 && iy < G.h else {
        dst.update(repeating: 0, count: width)
        continue
      }
      let first = min(p.padLeft, width), count = max(0, min(G.w, width - first))
      dst.update(repeating: 0, count: first)
      (dst + first).update(from: x + iy * G.w, count: count)
      dst.advanced(by: first + count).update(repeating: 0, count: width - first - count)
    }
  }

  /// Adds to out[k·outputStride + j] (k < 4, j < 3) the sum over the `rows` rows of the four
  /// dy planes at `dy` (rows `rowWidth` apart, planes rows·rowWidth apart) times the padded
  /// plane's rows starting at `plane`, shifted by j columns.
  @inline(__always)
  static func accumulateRow(
    _ dy: UnsafePointer<Float>, plane: UnsafePointer<Float>, rows: Int, rowWidth: Int, paddedWidth: Int,
    into out: UnsafeMutablePointer<Float>, outputStride: Int
  ) {
    typealias V = SIMD16<Float>
    var a00 = V(), a01 = V(), a02 = V(), a10 = V(), a11 = V(), a12 = V()
    var a20 = V(), a21 = V(), a22 = V(), a30 = V(), a31 = V(), a32 = V()
    let planeSize = rows * rowWidth
    for y in 0..<rows {
      let xr = UnsafeRawPointer(plane + y * paddedWidth)
      let d0 = UnsafeRawPointer(dy + y * rowWidth), d1 = d0 + 4 * planeSize
      let d2 = d1 + 4 * planeSize, d3 = d2 + 4 * planeSize
      var byte = 0
      while byte < 4 * rowWidth {
        let x0 = xr.loadUnaligned(fromByteOffset: byte, as: V.self)
        let x1 = xr.loadUnaligned(fromByteOffset: byte + 4, as: V.self)
        let x2 = xr.loadUnaligned(fromByteOffset: byte + 8, as: V.self)
        var d = d0.loadUnaligned(fromByteOffset: byte, as: V.self)
        a00.addProduct(d, x0)
        a01.addProduct(d, x1)
        a02.addProduct(d, x2)
        d = d1.loadUnaligned(fromByteOffset: byte, as: V.self)
        a10.addProduct(d, x0)
        a11.addProduct(d, x1)
        a12.addProduct(d, x2)
        d = d2.loadUnaligned(fromByteOffset: byte, as: V.self)
        a20.addProduct(d, x0)
        a21.addProduct(d, x1)
        a22.addProduct(d, x2)
        d = d3.loadUnaligned(fromByteOffset: byte, as: V.self)
        a30.addProduct(d, x0)
        a31.addProduct(d, x1)
        a32.addProduct(d, x2)
        byte += 64
      }
    }
    let (o1, o2, o3) = (out + outputStride, out + 2 * outputStride, out + 3 * outputStride)
    out[0] += a00.sum()
    out[1] += a01.sum()
    out[2] += a02.sum()
    o1[0] += a10.sum()
    o1[1] += a11.sum()
    o1[2] += a12.sum()
    o2[0] += a20.sum()
    o2[1] += a21.sum()
    o2[2] += a22.sum()
    o3[0] += a30.sum()
    o3[1] += a31.sum()
    o3[2] += a32.sum()
  }
}
