/// A counter-based, splittable random stream: Philox4x32-10 (Salmon et al., "Parallel random
/// numbers: as easy as 1, 2, 3", SC 2011).
///
/// Every random choice in Workbench draws from a stream derived from the experiment seed and a
/// purpose (`RandomStream(seed: 42).split("train").split("shuffle")`), never from global state
/// or the clock. Because Philox is a pure function of (key, counter), a stream is a tiny value
/// (seed, stream id, position) that can be saved in a checkpoint and restored exactly, and
/// streams for different purposes never overlap.
public struct RandomStream: Sendable, Codable, Equatable {
  /// The experiment seed (Philox key).
  public let seed: UInt64
  /// Identifies the purpose; derived by hashing the purposes passed to ``split(_:)``.
  public let streamID: UInt64
  /// How many 32-bit outputs have been drawn so far.
  public private(set) var position: UInt64 = 0

  /// The root stream of an experiment seed.
  public init(seed: UInt64) {
    self.seed = seed
    self.streamID = 0
  }

  init(seed: UInt64, streamID: UInt64) {
    self.seed = seed
    self.streamID = streamID
  }

  /// An independent stream for a named purpose, e.g. `"init"`, `"shuffle"`, `"augment"`.
  /// The result depends only on this stream's identity and `purpose`, not on its position.
  public func split(_ purpose: String) -> RandomStream {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ streamID
    for byte in purpose.utf8 {
      h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return RandomStream(seed: seed, streamID: Self.mix(h &+ 0x9e37_79b9_7f4a_7c15))
  }

  /// An independent stream for the `index`-th item of something (an epoch, a sample, a layer).
  public func split(index: Int) -> RandomStream {
    RandomStream(
      seed: seed, streamID: Self.mix(streamID ^ Self.mix(UInt64(bitPattern: Int64(index)) &+ 0x632b_e59b_d9b4_e019)))
  }

  /// The next uniformly distributed 32-bit value.
  public mutating func next() -> UInt32 {
    let block = position >> 2
    let lane = Int(position & 3)
    position &+= 1
    let out = Self.philox(
      counter: (
        UInt32(truncatingIfNeeded: block), UInt32(truncatingIfNeeded: block >> 32),
        UInt32(truncatingIfNeeded: streamID), UInt32(truncatingIfNeeded: streamID >> 32)
      ),
      key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    switch lane {
    case 0: return out.0
    case 1: return out.1
    case 2: return out.2
    default: return out.3
    }
  }

  /// A uniform `Float` in [0, 1) with 24 random bits.
  public mutating func nextFloat() -> Float {
    Float(next() >> 8) * (1.0 / 16_777_216.0)
  }

  /// A uniform `Float` in [low, high).
  public mutating func nextFloat(in range: Range<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextFloat()
  }

  /// A uniform `Double` in [0, 1) with 53 random bits.
  public mutating func nextDouble() -> Double {
    let hi = UInt64(next() >> 5), lo = UInt64(next() >> 6)
    return Double(hi << 26 | lo) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A standard normal sample (Box–Muller on two 53-bit uniforms).
  public mutating func nextNormal() -> Float {
    let u1 = 1.0 - nextDouble()  // (0, 1], so log is finite
    let u2 = nextDouble()
    return Float((-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2))
  }

  /// A uniform integer in 0..<bound without modulo bias (Lemire's multiply-and-reject method).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0 && bound <= Int(UInt32.max), "nextInt(below:): bound \(bound) out of range")
    let b = UInt64(bound)
    var m = UInt64(next()) &* b
    if UInt32(truncatingIfNeeded: m) < UInt32(truncatingIfNeeded: b) {
      let threshold = UInt32(truncatingIfNeeded: (0 &- b) % b)
      while UInt32(truncatingIfNeeded: m) < threshold { m = UInt64(next()) &* b }
    }
    return Int(m >> 32)
  }

  /// `true` with probability `p`.
  public mutating func nextBernoulli(_ p: Float) -> Bool { nextFloat() < p }

  /// A uniformly random permutation of 0..<n (Fisher–Yates).
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    if n < 2 { return p }
    for i in stride(from: n - 1, to: 0, by: -1) {
      p.swapAt(i, nextInt(below: i + 1))
    }
    return p
  }

  static func mix(_ x0: UInt64) -> UInt64 {  // splitmix64 finaliser
    var x = x0
    x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
    x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
    return x ^ (x >> 31)
  }

  /// The Philox4x32 bijection with 10 rounds.
  static func philox(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32))
    -> (UInt32, UInt32, UInt32, UInt32)
  {
    var c = counter
    var k = key
    for round in 0..<10 {
      if round > 0 {
        k.0 &+= 0x9E37_79B9
        k.1 &+= 0xBB67_AE85
      }
      let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
      let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
      c = (
        UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k.0, UInt32(truncatingIfNeeded: p1),
        UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k.1, UInt32(truncatingIfNeeded: p0)
      )
    }
    return c
  }
}

@inline(__always) private func _log(_ x: Double) -> Double { LibM.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { LibM.cos(x) }
