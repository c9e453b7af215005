/// Little-endian writing of the kmodel's fixed-width fields.
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
  mutating func u32(_ v: Int) { u32(UInt32(truncatingIfNeeded: v)) }
  mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
  mutating func f32(_ v: Float) { u32(v.bitPattern) }
  mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
  mutating func append(_ b: [UInt8]) { bytes += b }
  /// Zero bytes up to the next multiple of `alignment` (measured from the start of `bytes`).
  mutating func pad(to alignment: Int) {
    let r = bytes.count % alignment
    if r != 0 { bytes += [UInt8](repeating: 0, count: alignment - r) }
  }
}

/// Little-endian reading with bounds checks that throw ``KModelError/malformed(_:)``.
struct ByteReader {
  let bytes: [UInt8]
  var offset: Int

  init(_ bytes: [UInt8], offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  mutating func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
    guard n >= 0, offset + n <= bytes.count else {
      throw KModelError.malformed("\(what) at byte \(offset) runs past the end of the \(bytes.count)-byte file")
    }
    defer { offset += n }
    return bytes[offset..<(offset + n)]
  }
  mutating func u32(_ what: String) throws -> UInt32 {
    try take(4, what).reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }
  mutating func int(_ what: String) throws -> Int { Int(try u32(what)) }
  mutating func i32(_ what: String) throws -> Int32 { Int32(bitPattern: try u32(what)) }
  mutating func f32(_ what: String) throws -> Float { Float(bitPattern: try u32(what)) }
  mutating func u64(_ what: String) throws -> UInt64 {
    try take(8, what).reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }
}
