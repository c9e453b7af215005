/// nncase 1.x stackvm bytecode (`k210.md` §6.2): one-byte opcodes with packed little-endian
/// operands; only what the V5 writer's entry function needs.
struct StackVMWriter {
  var code = ByteWriter()

  /// `LDC_I4` 0x02.
  mutating func ldcI4(_ v: Int) {
    code.append([0x02])
    code.u32(v)
  }
  /// `LDC_R4` 0x05.
  mutating func ldcR4(_ v: Float) {
    code.append([0x05])
    code.f32(v)
  }
  /// `LEA_BUFFER` 0x17: location (0 input, 1 output, 2 rdata, 3 data), subresource 0, offset.
  mutating func leaBuffer(_ location: UInt8, _ offset: Int) {
    code.append([0x17, location, 0])
    code.u32(offset)
  }
  /// Pushes `values` and `STSHAPE` 0x31 them into `register`.
  mutating func shape(_ values: [Int], register: UInt8) {
    for v in values { ldcI4(v) }
    code.append([0x31, register, UInt8(values.count)])
  }
  /// Pushes (before, after, interior 0) per axis and `STPADDINGS` 0x32 them into `register`.
  mutating func paddings(_ values: [(Int, Int)], register: UInt8) {
    for (before, after) in values {
      ldcI4(before)
      ldcI4(after)
      ldcI4(0)
    }
    code.append([0x32, register, UInt8(values.count)])
  }
  /// The shape into registers[0] and the dense strides into registers[1…] (`strides`).
  mutating func shapes(_ s: [Int], strides: Bool, registers: [UInt8]) {
    shape(s, register: registers[0])
    for r in registers.dropFirst() { shape(Self.strides(s), register: r) }
  }
  /// One CALL argument after its `LEA_BUFFER`: uint8 type, shape and strides registers.
  mutating func callArgument(_ s: [Int], registers: (UInt8, UInt8)) {
    ldcI4(4)
    shape(s, register: registers.0)
    ldcI4(Int(registers.0))
    shape(Self.strides(s), register: registers.1)
    ldcI4(Int(registers.1))
  }
  /// `TENSOR` 0x5E with a tensor function and its payload.
  mutating func tensor(_ function: UInt16, payload: [UInt8]) {
    code.append([0x5E, UInt8(function & 0xFF), UInt8(function >> 8)])
    code.append(payload)
  }

  static func strides(_ s: [Int]) -> [Int] {
    var r = [Int](repeating: 1, count: s.count)
    for i in stride(from: s.count - 2, through: 0, by: -1) { r[i] = r[i + 1] * s[i + 1] }
    return r
  }
}
