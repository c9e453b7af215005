import Foundation

extension V5Machine {
  /// Interprets stackvm code to its end (nncase 1.x functions have no RET).
  mutating func interpret(_ code: ArraySlice<UInt8>) throws {
    var r = ByteReader(Array(code))
    while r.offset < r.bytes.count {
      let at = r.offset
      let op = try r.take(1, "an opcode")[at]
      switch op {
      case 0x02: stack.append(.int(Int(try r.i32("LDC_I4's operand"))))
      case 0x05: stack.append(.float(try r.f32("LDC_R4's operand")))
      case 0x17:
        let b = try r.take(2, "LEA_BUFFER's location")
        let offset = try r.int("LEA_BUFFER's offset")
        guard b[b.startIndex + 1] == 0, [0, 1, 2, 3].contains(b[b.startIndex]) else {
          throw KModelError.malformed("LEA_BUFFER at code byte \(at) names location \(b[b.startIndex])")
        }
        stack.append(.address(V5Address(location: b[b.startIndex], offset: offset)))
      case 0x31:
        let b = try r.take(2, "STSHAPE's operands")
        let (reg, rank) = (b[b.startIndex], Int(b[b.startIndex + 1]))
        var dims: [Int] = []
        for _ in 0..<rank { dims.insert(try popInt("a STSHAPE dimension"), at: 0) }
        registers[reg] = dims
      case 0x32:
        let b = try r.take(2, "STPADDINGS' operands")
        var axes: [(before: Int, after: Int, interior: Int)] = []
        for _ in 0..<Int(b[b.startIndex + 1]) {
          let interior = try popInt("a padding's interior")
          let after = try popInt("a padding's after")
          axes.insert((try popInt("a padding's before"), after, interior), at: 0)
        }
        paddings[b[b.startIndex]] = axes
      case 0x5E:
        let f = try r.take(2, "TENSOR's function")
        try tensor(UInt16(f[f.startIndex]) | UInt16(f[f.startIndex + 1]) << 8, &r, at: at)
      default:
        throw KModelError.malformed(
          "stackvm opcode 0x\(String(op, radix: 16)) at code byte \(at) is not one this simulator runs")
      }
    }
  }

  /// One `TENSOR` function: its payload from `r`, operands from the stack.
  mutating func tensor(_ function: UInt16, _ r: inout ByteReader, at: Int) throws {
    func payload(_ n: Int) throws -> [UInt8] {
      Array(try r.take(n, "TENSOR 0x\(String(function, radix: 16))'s payload"))
    }
    switch function {
    case 0x14, 0x0B:
      let p = try payload(5)
      let (second, first) = (try popFloat("a scale or bias"), try popFloat("a scale or zero point"))
      let (output, input) = (try popAddress("the output"), try popAddress("the input"))
      let shape = try register(p[2])
      let (inOffsets, outOffsets) = (
        try Self.offsets(shape, try register(p[3])), try Self.offsets(shape, try register(p[4]))
      )
      if function == 0x14 {
        guard p[0] == 9, p[1] == 4 else { throw KModelError.malformed("QUANTIZE from type \(p[0]) to \(p[1])") }
        let x = try floats(input, (inOffsets.max() ?? -1) + 1)
        let q = inOffsets.map { i -> UInt8 in
          let v = Foundation.lrintf(x[i] * first + second)
          return UInt8(min(max(v, 0), 255))
        }
        try scatter(q, output, outOffsets, size: 1)
      } else {
        guard p[0] == 4, p[1] == 9 else { throw KModelError.malformed("DEQUANTIZE from type \(p[0]) to \(p[1])") }
        let q = try gather(input, inOffsets, size: 1)
        let y = q.map { Float($0) * first + second }
        try scatterFloats(y, output, outOffsets)
      }
    case 0x10:
      let p = try payload(6)
      _ = (try popInt("LUT1D's max"), try popInt("LUT1D's min"))
      let output = try popAddress("the output"), table = try popAddress("the table"),
        input = try popAddress("the input")
      let length = Int(p[4]) | Int(p[5]) << 8
      guard p[0] == 4, length == 256 else {
        throw KModelError.malformed("LUT1D of type \(p[0]) with \(length) entries")
      }
      let t = try bytes(table, 256)
      let shape = try register(p[1])
      let q = try gather(input, try Self.offsets(shape, try register(p[2])), size: 1)
      try scatter(q.map { t[t.startIndex + Int($0)] }, output, try Self.offsets(shape, try register(p[3])), size: 1)
    case 0x03:
      var p = ByteReader(try payload(8))
      let function = try p.int("CALL's function")
      let ids = try p.take(4, "CALL's module and counts")
      let moduleID = Int(ids[ids.startIndex]) | Int(ids[ids.startIndex + 1]) << 8
      try call(
        module: moduleID, function: function, sources: Int(ids[ids.startIndex + 2]),
        destinations: Int(ids[ids.startIndex + 3]))
    case 0x1B:
      let p = try payload(7)
      let output = try popAddress("the output"), input = try popAddress("the input")
      let (ow, oh) = (try popInt("the output width"), try popInt("the output height"))
      guard p[0] == 4 || p[0] == 9, p[4] == 0, p[5] == 0, p[6] == 1 else {
        throw KModelError.malformed("RESIZE_IMAGE other than nearest neighbour without corner options")
      }
      let s = try register(p[1])
      guard s.count == 4 else { throw KModelError.malformed("RESIZE_IMAGE of a rank-\(s.count) tensor") }
      let size = p[0] == 4 ? 1 : 4
      let inOffsets = try Self.offsets(s, try register(p[2]))
      let x = try gather(input, inOffsets, size: size)
      let (hs, ws) = (Float(s[2]) / Float(oh), Float(s[3]) / Float(ow))
      var picks: [Int] = []
      picks.reserveCapacity(s[0] * s[1] * oh * ow)
      for nc in 0..<(s[0] * s[1]) {
        for oy in 0..<oh {
          let iy = min(Int((Float(oy) * hs).rounded(.down)), s[2] - 1)
          for ox in 0..<ow {
            picks.append((nc * s[2] + iy) * s[3] + min(Int((Float(ox) * ws).rounded(.down)), s[3] - 1))
          }
        }
      }
      var y: [UInt8] = []
      y.reserveCapacity(picks.count * size)
      for i in picks { y += x[(i * size)..<(i * size + size)] }
      try scatter(y, output, try Self.offsets([s[0], s[1], oh, ow], try register(p[3])), size: size)
    case 0x1A:
      try reduceWindow(try payload(25))
    case 0x26:
      try unary(try payload(5))
    case 0x01:
      try binary(try payload(16))
    case 0x13:
      try pad(try payload(6))
    case 0x17:
      try reduce(try payload(7))
    case 0x11:
      try matmul(try payload(14))
    case 0x09, 0x1E:
      let p = try payload(function == 0x09 ? 4 : 7)
      let output = try popAddress("the output"), input = try popAddress("the input")
      guard let size = [4: 1, 9: 4][p[0]] else { throw KModelError.malformed("a copy or slice of type \(p[0])") }
      var shape = try register(p[1]), inStrides = try register(p[2])
      if function == 0x1E {
        let (begins, ends, steps) = (try register(p[4]), try register(p[5]), try register(p[6]))
        guard begins.count == shape.count, ends.count == shape.count, steps.count == shape.count,
          steps.allSatisfy({ $0 > 0 })
        else { throw KModelError.malformed("SLICE with begins, ends and steps of another rank") }
        var base = 0
        for d in shape.indices {
          base += begins[d] * inStrides[d]
          shape[d] = max(0, (min(ends[d], shape[d]) - begins[d] + steps[d] - 1) / steps[d])
          inStrides[d] *= steps[d]
        }
        let data = try gather(
          V5Address(location: input.location, offset: input.offset + base * size), try Self.offsets(shape, inStrides),
          size: size)
        try scatter(data, output, try Self.offsets(shape, try register(p[3])), size: size)
      } else {
        let data = try gather(input, try Self.offsets(shape, inStrides), size: size)
        try scatter(data, output, try Self.offsets(shape, try register(p[3])), size: size)
      }
    default:
      throw KModelError.malformed(
        "tensor function 0x\(String(function, radix: 16)) at code byte \(at) is not one this simulator runs")
    }
  }

  mutating func scatterFloats(_ values: [Float], _ a: V5Address, _ offsets: [Int]) throws {
    if offsets.elementsEqual(0..<offsets.count) {
      try writeFloats(values, at: a)
      return
    }
    var b = [UInt8](repeating: 0, count: 4 * values.count)
    b.withUnsafeMutableBytes { raw in
      for (i, v) in values.enumerated() {
        raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
      }
    }
    try scatter(b, a, offsets, size: 4)
  }
}
