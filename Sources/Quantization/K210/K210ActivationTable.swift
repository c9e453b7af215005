/// The KPU's 16-segment activation table (`kpu_activate_table_t`, `k210.md` §2–3).
///
/// For a BN output y (in units of s_act_in), the KPU picks the last segment i, scanning 15 → 0,
/// with y > x_start[i] (strictly), and outputs
/// clamp(bankerCarryShift((y − x_start[i]) · mul[i], shift[i]) + bias[i], 0, 255).
public struct K210ActivationTable: Equatable, Sendable {
  /// One segment: start (s36), multiplier (s16), shift and uint8 bias.
  public struct Segment: Equatable, Sendable {
    public var start: Int64
    public var mul: Int64
    public var shift: Int
    public var bias: Int64

    public init(start: Int64, mul: Int64, shift: Int, bias: Int64) {
      self.start = start
      self.mul = mul
      self.shift = shift
      self.bias = bias
    }
  }

  /// Exactly 16 segments; segment 0 starts at −2³⁵ (0x800000000 as s36).
  public var segments: [Segment]

  /// A table from its segments.
  public init(segments: [Segment]) {
    precondition(segments.count == 16, "K210ActivationTable: 16 segments are required, got \(segments.count)")
    self.segments = segments
  }

  /// The output code for a BN output `y`.
  @inline(__always)
  public func apply(_ y: Int64) -> UInt8 {
    var i = 15
    while i > 0 && !(y > segments[i].start) { i -= 1 }
    let s = segments[i]
    let v = K210Rounding.bankerCarryShift((y - s.start) * s.mul, s.shift) + s.bias
    return UInt8(min(max(v, 0), 255))
  }
}

/// nncase's `piecewise_regression` (modules/k210/.../piecewise_regression.cpp): fits
/// `count` linear segments to sampled points by starting with one segment per pair of
/// neighbours and repeatedly merging the adjacent pair whose slopes differ least (the first
/// such pair on ties); a merged segment keeps the left one's start value and takes the slope
/// to the right one's end value. Float arithmetic, as nncase.
public enum K210PiecewiseRegression {
  /// A fitted segment: y(x) = (x − start)·slope + intercept on [start, stop].
  public struct Segment: Equatable, Sendable {
    public var start: Float
    public var stop: Float
    public var slope: Float
    public var intercept: Float

    func y(_ x: Float) -> Float { (x - start) * slope + intercept }
  }

  /// Fits `count` segments to `points` (sorted by x; more points than segments).
  public static func fit(_ points: [(x: Float, y: Float)], count: Int) -> [Segment] {
    precondition(points.count > count, "K210PiecewiseRegression: more points than segments are needed")
    let sorted = points.sorted { $0.x < $1.x }
    var segments = (0..<(sorted.count - 1)).map { i -> Segment in
      let (p0, p1) = (sorted[i], sorted[i + 1])
      return Segment(start: p0.x, stop: p1.x, slope: (p1.y - p0.y) / (p1.x - p0.x), intercept: p0.y)
    }
    while segments.count > count {
      var minDiff = Float.greatestFiniteMagnitude, minIndex = 0
      for i in 0..<(segments.count - 1) {
        let diff = abs(segments[i].slope - segments[i + 1].slope)
        if diff < minDiff {
          minDiff = diff
          minIndex = i
        }
      }
      let s0 = segments[minIndex], s1 = segments[minIndex + 1]
      let y0 = s0.y(s0.start), y1 = s1.y(s1.stop)
      segments[minIndex].slope = (y1 - y0) / (s1.stop - s0.start)
      segments[minIndex].stop = s1.stop
      segments.remove(at: minIndex + 1)
    }
    return segments
  }
}
