extension V5Machine {
  /// UNARY (float32; nncase 1.9's reference kernel, which the x86-64 build also runs): each
  /// element through the op, in row-major order. This simulator runs sqrt (13) and square (14),
  /// `sqrtf(v)` and `v * v`, both correctly rounded in IEEE single precision.
  mutating func unary(_ p: [UInt8]) throws {
    let output = try popAddress("the output"), input = try popAddress("the input")
    guard p[0] == 9, p[4] == 13 || p[4] == 14 else {
      throw KModelError.malformed("UNARY of type \(p[0]) with op \(p[4]) (this simulator runs float32 sqrt and square)")
    }
    let shape = try register(p[1])
    let offsets = try Self.offsets(shape, try register(p[2]))
    let x = try floats(input, (offsets.max() ?? -1) + 1)
    let y = offsets.map { i -> Float in p[4] == 13 ? x[i].squareRoot() : x[i] * x[i] }
    try scatterFloats(y, output, try Self.offsets(shape, try register(p[3])))
  }

  /// BINARY (float32; nncase 1.9's reference kernel): per output index in row-major order,
  /// `a op b` with each input index reduced to its own shape (a dimension the input lacks or has
  /// as 1 reads index 0; shapes aligned on the right), then clamped to the fused range. Ops: 0 add,
  /// 1 sub, 2 mul, 3 div, 4 min, 5 max (`std::min`/`std::max`: `b < a ? b : a`, `a < b ? b : a`).
  mutating func binary(_ p: [UInt8]) throws {
    var r = ByteReader(p, offset: 8)
    let (low, high) = (try r.f32("the clamp low"), try r.f32("the clamp high"))
    let output = try popAddress("the output"), b = try popAddress("the second input")
    let a = try popAddress("the first input")
    let (sa, sb, so) = (try register(p[1]), try register(p[3]), try register(p[5]))
    let (ta, tb, to) = (try register(p[2]), try register(p[4]), try register(p[6]))
    guard p[0] == 9, p[7] <= 5, sa.count <= so.count, sb.count <= so.count, ta.count == sa.count,
      tb.count == sb.count
    else { throw KModelError.malformed("BINARY of type \(p[0]) with op \(p[7]) or shapes \(sa), \(sb) → \(so)") }
    let outOffsets = try Self.offsets(so, to)
    func extent(_ s: [Int], _ t: [Int]) -> Int { zip(s, t).reduce(0) { $0 + ($1.0 - 1) * $1.1 } + 1 }
    let (x, w) = (try floats(a, extent(sa, ta)), try floats(b, extent(sb, tb)))
    var y: [Float] = []
    y.reserveCapacity(outOffsets.count)
    var index = [Int](repeating: 0, count: so.count)
    /// The offset of `index` in an input of shape `s` and strides `t`.
    func offset(_ s: [Int], _ t: [Int]) -> Int {
      let ext = so.count - s.count
      return s.indices.reduce(0) { $0 + (index[$1 + ext] >= s[$1] ? 0 : index[$1 + ext]) * t[$1] }
    }
    for _ in outOffsets {
      let (u, v) = (x[offset(sa, ta)], w[offset(sb, tb)])
      let z: Float
      switch p[7] {
      case 0: z = u + v
      case 1: z = u - v
      case 2: z = u * v
      case 3: z = u / v
      case 4: z = v < u ? v : u
      default: z = u < v ? v : u
      }
      y.append(min(max(z, low), high))
      var d = so.count - 1
      while d >= 0 {
        index[d] += 1
        if index[d] < so[d] { break }
        index[d] = 0
        d -= 1
      }
    }
    try scatterFloats(y, output, outOffsets)
  }

  /// PAD (constant mode, no interior padding; nncase 1.9's reference kernel) of uint8 codes: the
  /// output is the input shape grown by each axis' before and after; an index inside the input
  /// copies it, any other gets the pad value.
  mutating func pad(_ p: [UInt8]) throws {
    let value = UInt8(truncatingIfNeeded: try popInt("the pad value"))
    let output = try popAddress("the output"), input = try popAddress("the input")
    guard p[0] == 4, p[5] == 0 else {
      throw KModelError.malformed("PAD of type \(p[0]) in mode \(p[5]) (this simulator pads uint8 with a constant)")
    }
    let shape = try register(p[1])
    guard let axes = paddings[p[4]], axes.count == shape.count, axes.allSatisfy({ $0.interior == 0 }) else {
      throw KModelError.malformed("PAD's paddings do not match its rank-\(shape.count) input")
    }
    let outShape = zip(shape, axes).map { $0 + $1.before + $1.after }
    let outOffsets = try Self.offsets(outShape, try register(p[3]))
    let x = try gather(input, try Self.offsets(shape, try register(p[2])), size: 1)
    var y: [UInt8] = []
    y.reserveCapacity(outOffsets.count)
    var index = [Int](repeating: 0, count: outShape.count)
    for _ in outOffsets {
      var dense = 0, inside = true
      for d in shape.indices {
        let i = index[d] - axes[d].before
        if i < 0 || i >= shape[d] { inside = false }
        dense = dense * shape[d] + i
      }
      y.append(inside ? x[dense] : value)
      var d = outShape.count - 1
      while d >= 0 {
        index[d] += 1
        if index[d] < outShape[d] { break }
        index[d] = 0
        d -= 1
      }
    }
    try scatter(y, output, outOffsets, size: 1)
  }
}
