/// The KPU's pool stage on uint8 maps (`kpu_pool_type_t`, `k210.md` §3): output size = input /
/// stride (truncated).
///
/// | type | op | filter / stride |
/// |---|---|---|
/// | 0 | bypass | 1 / 1 |
/// | 1, 3 | max (out-of-range taps ignored) | 2 / 2, 4 / 4 |
/// | 2, 4 | mean of the taps at clamped coordinates, integer division by F² | 2 / 2, 4 / 4 |
/// | 5, 7 | left_top: pick (0, 0) | 2 / 2, 4 / 4 |
/// | 6 | right_top: pick (0, 1) | 2 / 2 |
/// | 8 | mean, padding (0, 1) | 2 / 1 |
/// | 9 | max, padding (0, 1) | 2 / 1 |
public enum KPUPool {
  /// (filter, stride) of a pool type.
  public static func geometry(_ type: Int) -> (filter: Int, stride: Int)? {
    switch type {
    case 0: return (1, 1)
    case 1, 2, 5, 6: return (2, 2)
    case 3, 4, 7: return (4, 4)
    case 8, 9: return (2, 1)
    default: return nil
    }
  }

  /// Pools `x` ([channels, height, width]) and checks the output size against the words'.
  public static func run(
    type: Int, _ x: [UInt8], channels: Int, height h: Int, width w: Int, outHeight: Int, outWidth: Int
  ) throws -> [UInt8] {
    guard let (f, s) = geometry(type) else { throw KModelError.malformed("pool_type \(type) is not a KPU pool") }
    guard h / s == outHeight, w / s == outWidth else {
      throw KModelError.malformed(
        "pool_type \(type) turns \(h)×\(w) into \(h / s)×\(w / s), but the words say \(outHeight)×\(outWidth)")
    }
    if type == 0 { return x }
    var out = [UInt8](repeating: 0, count: channels * outHeight * outWidth)
    for c in 0..<channels {
      let plane = c * h * w
      for oy in 0..<outHeight {
        for ox in 0..<outWidth {
          let (y0, x0) = (oy * s, ox * s)
          let v: Int
          switch type {
          case 5, 7: v = Int(x[plane + y0 * w + x0])
          case 6: v = Int(x[plane + y0 * w + min(x0 + 1, w - 1)])
          case 1, 3, 9:
            var m = 0
            for ky in 0..<f where y0 + ky < h {
              for kx in 0..<f where x0 + kx < w { m = max(m, Int(x[plane + (y0 + ky) * w + x0 + kx])) }
            }
            v = m
          default:
            var sum = 0
            for ky in 0..<f {
              for kx in 0..<f { sum += Int(x[plane + min(y0 + ky, h - 1) * w + min(x0 + kx, w - 1)]) }
            }
            v = sum / (f * f)
          }
          out[(c * outHeight + oy) * outWidth + ox] = UInt8(v)
        }
      }
    }
    return out
  }
}
