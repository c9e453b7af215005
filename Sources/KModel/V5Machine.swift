/// The state of a running stackvm function: the evaluation stack, the shape registers and the
/// memory locations (0 input, 1 output, 2 rdata, 3 data) as bytes, with bounds-checked access.
struct V5Machine {
  enum Value {
    case int(Int)
    case float(Float)
    case address(V5Address)
  }

  let model: KModelV5
  let module: Int
  var stack: [Value] = []
  var registers: [UInt8: [Int]] = [:]
  /// The padding registers (`STPADDINGS`): per axis (before, after, interior).
  var paddings: [UInt8: [(before: Int, after: Int, interior: Int)]] = [:]
  var pools: [UInt8: [UInt8]] = [:]
  /// The k210 module's KPU RAM (kept across calls, as the runtime's).
  var kpu = KPUSimulator()

  init(model: KModelV5, module: Int) { (self.model, self.module) = (model, module) }

  mutating func pop(_ what: String) throws -> Value {
    guard let v = stack.popLast() else {
      throw KModelError.malformed("the stackvm stack is empty where \(what) is popped")
    }
    return v
  }
  mutating func popInt(_ what: String) throws -> Int {
    guard case let .int(v) = try pop(what) else {
      throw KModelError.malformed("\(what) on the stack is not an integer")
    }
    return v
  }
  mutating func popFloat(_ what: String) throws -> Float {
    switch try pop(what) {
    case let .float(v): return v
    case let .int(v): return Float(v)
    default: throw KModelError.malformed("\(what) on the stack is not a number")
    }
  }
  mutating func popAddress(_ what: String) throws -> V5Address {
    guard case let .address(a) = try pop(what) else {
      throw KModelError.malformed("\(what) on the stack is not an address")
    }
    return a
  }
  func register(_ r: UInt8) throws -> [Int] {
    guard let s = registers[r] else { throw KModelError.malformed("shape register \(r) is read before it is set") }
    return s
  }

  func check(_ a: V5Address, _ bytes: Int) throws {
    let size = pools[a.location]?.count ?? 0
    guard a.offset >= 0, bytes >= 0, a.offset + bytes <= size else {
      throw KModelError.malformed(
        "bytes \(a.offset)..<\(a.offset + bytes) lie outside memory location \(a.location) (\(size) bytes)")
    }
  }

  func bytes(_ a: V5Address, _ count: Int) throws -> ArraySlice<UInt8> {
    try check(a, count)
    return pools[a.location, default: []][a.offset..<(a.offset + count)]
  }

  mutating func write(_ data: [UInt8], at a: V5Address) throws {
    try check(a, data.count)
    pools[a.location]?.replaceSubrange(a.offset..<(a.offset + data.count), with: data)
  }

  func floats(_ a: V5Address, _ count: Int) throws -> [Float] {
    let b = try bytes(a, 4 * count)
    return b.withUnsafeBytes { raw in
      (0..<count).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) }
    }
  }

  mutating func writeFloats(_ values: [Float], at a: V5Address) throws {
    try check(a, 4 * values.count)
    pools[a.location]?.withUnsafeMutableBytes { raw in
      for (i, v) in values.enumerated() {
        raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: a.offset + 4 * i, as: UInt32.self)
      }
    }
  }

  /// The element offsets of a tensor of `shape` laid out with `strides` (in elements), in
  /// row-major index order.
  static func offsets(_ shape: [Int], _ strides: [Int]) throws -> [Int] {
    guard shape.count == strides.count else {
      throw KModelError.malformed("a shape of rank \(shape.count) has \(strides.count) strides")
    }
    var result = [0]
    for (d, s) in zip(shape, strides) {
      var next: [Int] = []
      next.reserveCapacity(result.count * d)
      for base in result { for i in 0..<d { next.append(base + i * s) } }
      result = next
    }
    return result
  }

  /// Reads elements of `size` bytes at `offsets` (elements) from `a`.
  func gather(_ a: V5Address, _ offsets: [Int], size: Int) throws -> [UInt8] {
    let extent = (offsets.max() ?? -1) + 1
    let b = try bytes(a, extent * size)
    if size == 1 { return offsets.map { b[b.startIndex + $0] } }
    var out: [UInt8] = []
    out.reserveCapacity(offsets.count * size)
    for o in offsets { out += b[(b.startIndex + o * size)..<(b.startIndex + o * size + size)] }
    return out
  }

  /// Writes elements of `size` bytes to `offsets` (elements) at `a`.
  mutating func scatter(_ data: [UInt8], _ a: V5Address, _ offsets: [Int], size: Int) throws {
    let extent = (offsets.max() ?? -1) + 1
    try check(a, extent * size)
    pools[a.location]?.withUnsafeMutableBufferPointer { p in
      for (i, o) in offsets.enumerated() { for j in 0..<size { p[a.offset + o * size + j] = data[i * size + j] } }
    }
  }
}
