/// The V3 runtime's main buffer: bytes addressed from 0, read and written as uint8 or float32
/// (little-endian), with bounds checks.
struct MainMemory {
  var bytes: [UInt8]

  init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }

  func check(_ start: Int, _ count: Int) throws {
    guard start >= 0, count >= 0, start + count <= bytes.count else {
      throw KModelError.malformed(
        "bytes \(start)..<\(start + count) lie outside the \(bytes.count)-byte main buffer (main_mem_usage)")
    }
  }

  func bytes(_ start: Int, _ count: Int) throws -> [UInt8] {
    try check(start, count)
    return Array(bytes[start..<(start + count)])
  }

  func codes(_ start: Int, _ count: Int) throws -> [UInt8] { try bytes(start, count) }

  func floats(_ start: Int, _ count: Int) throws -> [Float] {
    try check(start, 4 * count)
    return (0..<count).map { i in
      let p = start + 4 * i
      let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
      return Float(bitPattern: bits)
    }
  }

  mutating func writeBytes(_ data: [UInt8], at start: Int) throws {
    try check(start, data.count)
    bytes.replaceSubrange(start..<(start + data.count), with: data)
  }

  @discardableResult
  mutating func write(_ data: [UInt8], at start: Int) throws -> KModelV3Simulator.LayerOutput {
    try writeBytes(data, at: start)
    return .codes(data)
  }

  @discardableResult
  mutating func write(_ data: [Float], at start: Int) throws -> KModelV3Simulator.LayerOutput {
    var w = ByteWriter()
    for x in data { w.f32(x) }
    try writeBytes(w.bytes, at: start)
    return .floats(data)
  }
}
