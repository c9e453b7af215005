import Foundation

/// The V3 runtime's CPU kernels with the SDK's semantics (`lib/drivers/kpu.c`; `k210.md` §4),
/// in single precision and in the SDK's summation order.
enum V3CPUKernels {
  /// `QUANTIZED_MAX_POOL2D`: window origin = out · stride − padding; taps outside the map are
  /// skipped; the maximum starts at 0.
  static func maxPool(_ x: [UInt8], _ p: KModelV3Pool) -> [UInt8] {
    window(p) { taps in taps.reduce(UInt8(0)) { max($0, x[$1]) } }
  }

  /// `AVERAGE_POOL2D`: the mean over the taps inside the map (float).
  static func averagePool(_ x: [Float], _ p: KModelV3Pool) -> [Float] {
    window(p) { taps in
      var sum: Float = 0
      for t in taps { sum += x[t] }
      return sum / Float(taps.count)
    }
  }

  /// Visits every output pixel with the input indices of its in-map taps.
  static func window<T>(_ p: KModelV3Pool, _ f: ([Int]) -> T) -> [T] {
    let (i, o) = (p.inShape, p.outShape)
    var out: [T] = []
    out.reserveCapacity(o.count)
    for c in 0..<o.channels {
      for oy in 0..<o.height {
        for ox in 0..<o.width {
          let (y0, x0) = (oy * p.strideHeight - p.paddingHeight, ox * p.strideWidth - p.paddingWidth)
          var taps: [Int] = []
          for ky in max(0, -y0)..<max(max(0, -y0), min(p.kernelHeight, i.height - y0)) {
            for kx in max(0, -x0)..<max(max(0, -x0), min(p.kernelWidth, i.width - x0)) {
              taps.append((c * i.height + y0 + ky) * i.width + x0 + kx)
            }
          }
          out.append(f(taps))
        }
      }
    }
    return out
  }

  /// `GLOBAL_AVERAGE_POOL2D`: per channel, a running float sum divided by the kernel size.
  static func globalAveragePool(_ x: [Float], kernelSize: Int, channels: Int) -> [Float] {
    (0..<channels).map { c in
      var sum: Float = 0
      for i in 0..<kernelSize { sum += x[c * kernelSize + i] }
      return sum / Float(kernelSize)
    }
  }

  /// `FULLY_CONNECTED`: per output, Σ x·w in input order, then + bias.
  static func fullyConnected(_ x: [Float], weights: [Float], bias: [Float], inChannels: Int, outChannels: Int)
    -> [Float]
  {
    (0..<outChannels).map { o in
      var sum: Float = 0
      for i in 0..<inChannels { sum += x[i] * weights[o * inChannels + i] }
      return sum + bias[o]
    }
  }

  /// The float activations of FC and average pooling: 0 linear, 1 relu, 2 relu6.
  static func activate(_ x: [Float], _ activation: Int) -> [Float] {
    switch activation {
    case 1: return x.map { max($0, 0) }
    case 2: return x.map { min(max($0, 0), 6) }
    default: return x
    }
  }

  /// `L2_NORMALIZATION`: x / sqrt(max(Σx², 1e-10)), via the reciprocal as the SDK.
  static func l2Normalize(_ x: [Float]) -> [Float] {
    var sum: Float = 0
    for v in x { sum += v * v }
    let r = 1 / max(sum, 1e-10).squareRoot()
    return x.map { $0 * r }
  }

  /// `SOFTMAX`: the SDK starts its maximum at FLT_MIN (the smallest positive float).
  static func softmax(_ x: [Float]) -> [Float] {
    let m = x.reduce(Float.leastNormalMagnitude) { max($0, $1) }
    let e = x.map { Foundation.exp($0 - m) }
    var sum: Float = 0
    for v in e { sum += v }
    return e.map { $0 / sum }
  }

  /// `RESIZE_NEAREST_NEIGHBOR`: in = min(floor(out · (in/out)), in − 1) per axis, float scale.
  static func resizeNearestIndex(_ s: KModelV3Shape, outWidth: Int, outHeight: Int) -> [Int] {
    let hs = Float(s.height) / Float(outHeight), ws = Float(s.width) / Float(outWidth)
    var index: [Int] = []
    for c in 0..<s.channels {
      for oy in 0..<outHeight {
        let iy = min(Int((Float(oy) * hs).rounded(.down)), s.height - 1)
        for ox in 0..<outWidth {
          let ix = min(Int((Float(ox) * ws).rounded(.down)), s.width - 1)
          index.append((c * s.height + iy) * s.width + ix)
        }
      }
    }
    return index
  }
}
