import Tensors

extension K210ConvLayer {
  /// Runs the layer on one uint8 image [inChannels, height, width] and returns
  /// [outChannels, height, width], bit-identical to ``runReference(_:height:width:)``.
  ///
  /// Σxw comes from ``IntegerGEMM`` on the im2col columns (pad taps read ``padValue``) with the
  /// weights shifted to int8: w = w₈ + 128, so Σxw = Σx·w₈ + 128·Σx, exact in int32
  /// (|Σx·w₈| ≤ 255·128·9·1024 < 2³¹). Σx is each column's sum over the group's taps. The ALU,
  /// BN and activation stages then run per output exactly as in the reference.
  public func run(_ input: [UInt8], height h: Int, width w: Int) -> [UInt8] {
    precondition(
      input.count == inChannels * h * w, "K210ConvLayer: input has \(input.count) codes, expected \(inChannels * h * w)"
    )
    let taps = filter * filter, gic = groupInputChannels, k = gic * taps, hw = h * w
    let p = Conv2DParameters(stride: 1, padding: filter / 2)
    var cols = [UInt8](repeating: 0, count: inChannels * taps * hw)
    input.withUnsafeBufferPointer { x in
      cols.withUnsafeMutableBufferPointer { c in
        guard let src = x.baseAddress, let dst = c.baseAddress else { return }
        IntegerGEMM.im2col(
          src, c: inChannels, h: h, w: w, kh: filter, kw: filter, oh: h, ow: w, p, pad: padValue, into: dst)
      }
    }
    let signed = weights.map { Int8(bitPattern: $0 &- 128) }
    // Σx per column, over every input channel (dense) or per channel (depthwise)
    let groups = depthwise ? outChannels : 1
    var sumX = [Int64](repeating: 0, count: groups * hw)
    for g in 0..<groups {
      for row in 0..<k {
        let base = (g * k + row) * hw
        for q in 0..<hw { sumX[g * hw + q] += Int64(cols[base + q]) }
      }
    }
    var out = [UInt8](repeating: 0, count: outChannels * hw)
    // dense layers: four weight rows per GEMM call (the kernel's register block); depthwise:
    // one row against its own channel's columns
    let block = depthwise ? 1 : 4
    var acc = [Int32](repeating: 0, count: block * hw)
    var o = 0
    while o < outChannels {
      let end = min(o + block, outChannels), g = depthwise ? o : 0
      signed.withUnsafeBufferPointer { wb in
        cols.withUnsafeBufferPointer { cb in
          acc.withUnsafeMutableBufferPointer { ab in
            guard let wBase = wb.baseAddress, let cBase = cb.baseAddress, let a = ab.baseAddress else { return }
            IntegerGEMM.multiply(weights: wBase, rows: o..<end, k: k, cols: cBase + g * k * hw, n: hw, acc: a)
          }
        }
      }
      for oc in o..<end {
        var sumW: Int64 = 0
        for i in 0..<k { sumW += Int64(weights[oc * k + i]) }
        let bn = batchNorm[oc], row = (oc - o) * hw
        for q in 0..<hw {
          let sx = sumX[g * hw + q]
          let a = Self.alu(
            sumXW: Int64(acc[row + q]) + 128 * sx, sumX: sx, sumW: sumW, argX: argX, shiftX: shiftX, argW: argW,
            shiftW: shiftW, argAdd: argAdd, groupInputChannels: gic)
          out[oc * hw + q] = activation.apply(Self.batchNorm(a, bn))
        }
      }
      o = end
    }
    return out
  }
}
