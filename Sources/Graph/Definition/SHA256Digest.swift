/// SHA-256 (FIPS 180-4) of a byte array, for hashing model definitions.
///
/// Graph sits below the learning layer, so it cannot use the Datasets target's hasher; this
/// one-shot version is internal and should move to a shared low-level target once one exists.
enum SHA256Digest {
  private static let roundConstants: [UInt32] = {
    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    var primes: [Int] = []
    var n = 2
    while primes.count < 64 {
      if !primes.contains(where: { n % $0 == 0 }) { primes.append(n) }
      n += 1
    }
    return primes.map { fractionBits(cbrtExact(Double($0))) }
  }()

  private static let initialHash: [UInt32] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]

  private static func cbrtExact(_ x: Double) -> Double {
    var r = x.squareRoot()
    for _ in 0..<60 { r = r - (r * r * r - x) / (3 * r * r) }
    return r
  }

  private static func fractionBits(_ x: Double) -> UInt32 {
    UInt32((x - x.rounded(.down)) * 4_294_967_296.0)
  }

  private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

  /// The digest of `bytes` as 64 lowercase hex digits.
  static func hex(of bytes: [UInt8]) -> String {
    var message = bytes
    let bitLength = UInt64(bytes.count) * 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    var h = initialHash
    let k = roundConstants
    var w = [UInt32](repeating: 0, count: 64)
    for block in stride(from: 0, to: message.count, by: 64) {
      for t in 0..<16 {
        let i = block + 4 * t
        w[t] = UInt32(message[i]) << 24 | UInt32(message[i + 1]) << 16 | UInt32(message[i + 2]) << 8 | UInt32(message[i + 3])
      }
      for t in 16..<64 {
        let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
        let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
      for t in 0..<64 {
        let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
      }
      for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.map { word in
      let s = String(word, radix: 16)
      return String(repeating: "0", count: 8 - s.count) + s
    }.joined()
  }
}
