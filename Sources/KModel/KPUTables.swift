import Quantization

/// The KPU's parameter tables in main memory as bytes (`k210.md` §2): one BN word per output
/// channel and the 144-byte activation table.
public enum KPUTables {
  /// `kpu_batchnorm_argument_t`: bits 0–23 norm_mul (s24), 24–55 norm_add (s32), 56–59
  /// norm_shift (u4).
  public static func batchNormWord(_ bn: K210ConvLayer.BatchNorm, layer: String) throws -> UInt64 {
    try check(bn.mul, bits: 24, signed: true, layer, "norm_mul")
    try check(bn.add, bits: 32, signed: true, layer, "norm_add")
    try check(Int64(bn.shift), bits: 4, signed: false, layer, "norm_shift")
    return field(bn.mul, 0, 24) | field(bn.add, 24, 32) | field(Int64(bn.shift), 56, 4)
  }

  /// The BN word's fields, sign-extended.
  public static func batchNorm(_ word: UInt64) -> K210ConvLayer.BatchNorm {
    K210ConvLayer.BatchNorm(
      mul: signed(word, 0, 24), shift: Int((word >> 56) & 0xF), add: signed(word, 24, 32))
  }

  /// Bytes of `kpu_activate_table_t`: 16 × u64 segments (0–7 shift, 8–23 y_mul s16, 24–59
  /// x_start s36), then the 16 uint8 biases.
  public static let activationTableBytes = 144

  /// The activation table as its 144 bytes.
  public static func activationBytes(_ table: K210ActivationTable, layer: String) throws -> [UInt8] {
    var w = ByteWriter()
    for s in table.segments {
      try check(Int64(s.shift), bits: 8, signed: false, layer, "activation shift_number")
      try check(s.mul, bits: 16, signed: true, layer, "activation y_mul")
      try check(s.start, bits: 36, signed: true, layer, "activation x_start")
      w.u64(field(Int64(s.shift), 0, 8) | field(s.mul, 8, 16) | field(s.start, 24, 36))
    }
    for s in table.segments {
      try check(s.bias, bits: 8, signed: false, layer, "activation bias")
      w.append([UInt8(s.bias)])
    }
    return w.bytes
  }

  /// Decodes the 144 bytes of an activation table.
  public static func activationTable(_ bytes: ArraySlice<UInt8>) throws -> K210ActivationTable {
    var r = ByteReader(Array(bytes))
    var words: [UInt64] = []
    for _ in 0..<16 { words.append(try r.u64("activation segment")) }
    let biases = try r.take(16, "activation biases")
    return K210ActivationTable(
      segments: zip(words, biases).map { word, bias in
        K210ActivationTable.Segment(
          start: signed(word, 24, 36), mul: signed(word, 8, 16), shift: Int(word & 0xFF), bias: Int64(bias))
      })
  }

  static func field(_ v: Int64, _ low: Int, _ bits: Int) -> UInt64 {
    (UInt64(bitPattern: v) & ((1 << UInt64(bits)) - 1)) << UInt64(low)
  }

  static func signed(_ word: UInt64, _ low: Int, _ bits: Int) -> Int64 {
    let raw = Int64(bitPattern: (word >> UInt64(low)) & ((1 << UInt64(bits)) - 1))
    return raw >> Int64(bits - 1) & 1 == 1 ? raw - (1 << Int64(bits)) : raw
  }

  static func check(_ v: Int64, bits: Int, signed: Bool, _ layer: String, _ name: String) throws {
    let ok = signed ? (v >= -(1 << Int64(bits - 1)) && v < 1 << Int64(bits - 1)) : (v >= 0 && v < 1 << Int64(bits))
    guard ok else { throw KModelError.fieldOverflow(layer: layer, field: name, value: Int(v), bits: bits) }
  }
}
