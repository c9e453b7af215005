import Graph
import Tensors

/// The int8 scheme's elementwise, pooling and data-movement ops on uint8 codes. Each states
/// its arithmetic; ``Int8Quantizer`` says which format each output has.
enum IntegerOps {
  /// ReLU / ReLU6 in the input's format: max(q, z), and min(·, z + round(6/s)).
  static func relu(_ node: Node, _ x: Tensor<UInt8>, _ q: TensorQuantization) -> Tensor<UInt8> {
    let c = IntegerLayers.activationClamp(node, q)
    let lo = UInt8(c.lowerBound), hi = UInt8(c.upperBound)
    return x.map { min(max($0, lo), hi) }
  }

  /// Leaky ReLU with a fixed-point multiplier per sign: x = q − z_in;
  /// y = z_out + round(x · s_in/s_out) for x ≥ 0, z_out + round(x · α·s_in/s_out) otherwise.
  static func leakyRelu(_ node: Node, _ x: Tensor<UInt8>, _ inQ: TensorQuantization, _ outQ: TensorQuantization) throws
    -> Tensor<UInt8>
  {
    let alpha = Double(node.float("alpha"))
    guard alpha >= 0 else {
      throw QuantizationError.invalidSetting(
        "Leaky ReLU '\(node.name)' has a negative slope \(alpha), which the int8 executor does not support.")
    }
    let m = SharedShiftMultipliers([inQ.scale / outQ.scale, alpha * inQ.scale / outQ.scale])
    let zi = Int64(inQ.zeroPoint), zo = Int64(outQ.zeroPoint)
    return x.map { q in
      let v = Int64(q) - zi
      return clampCode(zo + m.apply(v, term: v >= 0 ? 0 : 1))
    }
  }

  /// Add: y = z_out + round(((q_a − z_a)·s_a + (q_b − z_b)·s_b) / s_out), one rounding with a
  /// shared shift.
  static func add(
    _ a: Tensor<UInt8>, _ b: Tensor<UInt8>, _ qa: TensorQuantization, _ qb: TensorQuantization,
    _ out: TensorQuantization
  ) -> Tensor<UInt8> {
    let m = SharedShiftMultipliers([qa.scale / out.scale, qb.scale / out.scale])
    let za = Int64(qa.zeroPoint), zb = Int64(qb.zeroPoint), zo = Int64(out.zeroPoint)
    var y = [UInt8](repeating: 0, count: a.count)
    for i in 0..<a.count {
      y[i] = clampCode(zo + m.apply(Int64(a.scalars[i]) - za, Int64(b.scalars[i]) - zb))
    }
    return Tensor(shape: a.shape, scalars: y)
  }

  /// Requantizes codes from `from` to `to`: z_to + round((q − z_from) · s_from/s_to); a copy
  /// when the formats are equal.
  static func requantize(_ x: Tensor<UInt8>, from: TensorQuantization, to: TensorQuantization) -> Tensor<UInt8> {
    if from == to { return x }
    let m = FixedPointMultiplier(from.scale / to.scale)
    let zf = Int64(from.zeroPoint), zt = Int64(to.zeroPoint)
    return x.map { clampCode(zt + m.apply(Int64($0) - zf)) }
  }

  /// Average pooling in the input's format (PyTorch's window and divisor rules):
  /// y = z + round(Σ(q − z) / divisor), half away from zero, exact integer division.
  static func avgPool(_ node: Node, _ x: Tensor<UInt8>, _ q: TensorQuantization) -> Tensor<UInt8> {
    let p = node.poolParameters
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = p.outputSize(h: h, w: w)
    let z = Int64(q.zeroPoint)
    var out = [UInt8](repeating: 0, count: planes * oh * ow)
    for plane in 0..<planes {
      let base = plane * h * w
      for oi in 0..<oh {
        for oj in 0..<ow {
          let y0 = oi * p.strideH - p.padTop, x0 = oj * p.strideW - p.padLeft
          let y1 = min(y0 + p.kernelH, h + p.padBottom), x1 = min(x0 + p.kernelW, w + p.padRight)
          let ys = max(y0, 0), xs = max(x0, 0), ye = min(y1, h), xe = min(x1, w)
          let divisor = max(p.countIncludePad ? (y1 - y0) * (x1 - x0) : (ye - ys) * (xe - xs), 1)
          var sum: Int64 = 0
          for yy in ys..<max(ys, ye) {
            for xx in xs..<max(xs, xe) { sum += Int64(x.scalars[base + yy * w + xx]) - z }
          }
          out[(plane * oh + oi) * ow + oj] = clampCode(z + roundedDivision(sum, Int64(divisor)))
        }
      }
    }
    return Tensor(shape: [x.shape[0], x.shape[1], oh, ow], scalars: out)
  }

  /// Global average pooling in the input's format, as ``avgPool(_:_:_:)`` over the whole plane.
  static func globalAvgPool(_ x: Tensor<UInt8>, _ q: TensorQuantization) -> Tensor<UInt8> {
    let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3]
    let z = Int64(q.zeroPoint)
    let out = (0..<planes).map { plane -> UInt8 in
      var sum: Int64 = 0
      for i in 0..<hw { sum += Int64(x.scalars[plane * hw + i]) - z }
      return clampCode(z + roundedDivision(sum, Int64(hw)))
    }
    return Tensor(shape: [x.shape[0], x.shape[1], 1, 1], scalars: out)
  }

  /// round(a / b) for b > 0, half away from zero.
  @inline(__always)
  static func roundedDivision(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? (2 * a + b) / (2 * b) : -((-2 * a + b) / (2 * b))
  }

  @inline(__always)
  static func clampCode(_ v: Int64) -> UInt8 { UInt8(min(max(v, 0), 255)) }
}
