import K210

extension V5Lowering {
  /// Adds the DEQUANTIZEd outputs, places the data-pool buffers by lifetime and assembles the
  /// stackvm entry module (tensor functions in nncase 1.9's stack protocols) and the k210 module.
  mutating func finish() throws -> KModelV5 {
    let x = graph.inputs[0]
    var outputs: [KModelV5.Port] = []
    var outputBytes = 0
    for o in graph.outputs {
      let s = shapes[o.name] ?? [], n = 4 * count(o.name)
      let target = V5Ref(location: 1, offset: outputBytes)
      if floats[o.name] != nil || parts[o.name] != nil {
        append(.copy(try floatRef(o.name, for: "the model output"), target, shape: s, datatype: 9))
      } else if let source = codes[o.name]?.first {
        let param = source.param
        append(
          .dequantize(
            source.ref, target, shape: s, scale: param.scale, bias: Float(-param.zeroPoint) * param.scale))
      } else {
        throw KModelError.unsupportedGraph(reason: "the output '\(o.name)' has no values to write.")
      }
      outputs.append(.init(.init(location: 1, datatype: 9, start: outputBytes, size: n), shape: s))
      outputBytes += n
    }
    let (addresses, usage) = V3Lowering.placeMain(buffers)
    var vm = StackVMWriter()
    for step in steps { vm.emit(step, addresses: addresses) }
    let inBytes = 4 * count(x.name)
    let main = KModelV5.Function(
      inputPool: inBytes, outputPool: outputBytes,
      inputs: [.init(.init(location: 0, datatype: 9, start: 0, size: inBytes), shape: x.shape)], outputs: outputs,
      entrypoint: 0, textSize: vm.code.bytes.count)
    let stackvm = KModelV5.Module(
      type: "stackvm", mempools: [.init(location: 2, size: tables.count), .init(location: 3, size: usage)],
      functions: [main], sections: [.init(name: ".rdata", body: tables), .init(name: ".text", body: vm.code.bytes)])
    let k210 = KModelV5.Module(
      type: "k210",
      mempools: [
        .init(location: 2, size: k210Data.bytes.count), .init(location: 3, size: 0),
        .init(location: 64, size: limits.kpuRAM),
      ],
      functions: k210Functions,
      sections: [.init(name: ".rdata", body: k210Data.bytes), .init(name: ".text", body: k210Text.bytes)])
    return KModelV5(alignment: 256, modules: [stackvm, k210])
  }
}

extension StackVMWriter {
  /// A step's code: its `LEA_BUFFER`s (data-pool buffers at their placed addresses), scalars,
  /// shape registers and `TENSOR` op, in the order the nncase 1.9 runtime pops them.
  mutating func emit(_ step: V5Step, addresses: [Int]) {
    func lea(_ r: V5Ref) { leaBuffer(r.location, (r.buffer.map { addresses[$0] } ?? 0) + r.offset) }
    func registers(_ shape: [Int], out: [Int]? = nil) {
      self.shape(shape, register: 0)
      self.shape(Self.strides(shape), register: 1)
      self.shape(Self.strides(out ?? shape), register: 2)
    }
    switch step {
    case let .quantize(a, b, s, inverse, zero):
      lea(a)
      lea(b)
      registers(s)
      ldcR4(inverse)
      ldcR4(zero)
      tensor(0x14, payload: [9, 4, 0, 1, 2])
    case let .dequantize(a, b, s, scale, bias):
      lea(a)
      lea(b)
      registers(s)
      ldcR4(scale)
      ldcR4(bias)
      tensor(0x0B, payload: [4, 9, 0, 1, 2])
    case let .lut(a, b, s, table):
      lea(a)
      leaBuffer(2, table)
      lea(b)
      ldcI4(0)
      ldcI4(255)
      registers(s)
      tensor(0x10, payload: [4, 0, 1, 2, 0, 1])
    case let .call(function, a, inShape, b, outShape):
      lea(a)
      callArgument(inShape, registers: (0, 1))
      lea(b)
      callArgument(outShape, registers: (2, 3))
      var p = ByteWriter()
      p.u32(function)
      p.append([1, 0, 1, 1])
      tensor(0x03, payload: p.bytes)
    case let .resize(a, b, s, oh, ow):
      ldcI4(oh)
      ldcI4(ow)
      lea(a)
      lea(b)
      registers(s, out: [s[0], s[1], oh, ow])
      tensor(0x1B, payload: [4, 0, 1, 2, 0, 0, 1])
    case let .maxPool(a, b, s, k, st, p):
      lea(a)
      ldcR4(-Float.greatestFiniteMagnitude)
      lea(b)
      for (before, after) in [(p[0], p[2]), (p[1], p[3])] {
        ldcI4(before)
        ldcI4(after)
        ldcI4(0)
      }
      let (oh, ow) = ((s[2] + p[0] + p[2] - k[0]) / st[0] + 1, (s[3] + p[1] + p[3] - k[1]) / st[1] + 1)
      registers(s, out: [s[0], s[1], oh, ow])
      var w = ByteWriter()
      w.append([9, 2, 0, 1, 2])
      for v in [k[0], k[1], st[0], st[1], 1, 1] { w.append([UInt8(v & 0xFF), UInt8(v >> 8)]) }
      w.f32(-Float.greatestFiniteMagnitude)
      w.f32(Float.greatestFiniteMagnitude)
      tensor(0x1A, payload: w.bytes)
    case let .copy(a, b, s, datatype):
      lea(a)
      lea(b)
      registers(s)
      tensor(0x09, payload: [datatype, 0, 1, 2])
    case let .reduce(a, b, s, axes, op):
      lea(a)
      lea(b)
      ldcR4(0)
      registers(s, out: s.indices.map { axes.contains($0) ? 1 : s[$0] })
      shape(axes, register: 3)
      tensor(0x17, payload: [9, 0, 1, 2, op, 3, 1])
    case let .unary(a, b, s, op):
      lea(a)
      lea(b)
      registers(s)
      tensor(0x26, payload: [9, 0, 1, 2, op])
    case let .binary(a, b, c, sa, sb, op):
      lea(a)
      lea(b)
      lea(c)
      for (r, s) in [(0, sa), (2, sb), (4, sa)] {
        shape(s, register: UInt8(r))
        shape(Self.strides(s), register: UInt8(r + 1))
      }
      var w = ByteWriter()
      w.append([9, 0, 1, 2, 3, 4, 5, op])
      w.f32(-Float.greatestFiniteMagnitude)
      w.f32(Float.greatestFiniteMagnitude)
      tensor(0x01, payload: w.bytes)
    case let .pad(a, b, s, out, value):
      lea(a)
      lea(b)
      ldcI4(Int(value))
      registers(s, out: out)
      paddings(zip(s, out).map { (0, $1 - $0) }, register: 0)
      tensor(0x13, payload: [4, 0, 1, 2, 0, 0])
    case let .matmul(a, b, k, n, weights, bias):
      lea(a)
      leaBuffer(2, weights)
      leaBuffer(2, bias)
      lea(b)
      for (r, s) in [(0, [1, k]), (2, [k, n]), (4, [1, n])] {
        shape(s, register: UInt8(r))
        shape(Self.strides(s), register: UInt8(r + 1))
      }
      var w = ByteWriter()
      w.append([0, 1, 2, 3, 4, 5])
      w.f32(-Float.greatestFiniteMagnitude)
      w.f32(Float.greatestFiniteMagnitude)
      tensor(0x11, payload: w.bytes)
    case let .slice(a, b, s, begin, step, out):
      lea(a)
      lea(b)
      registers(s, out: out)
      shape([0, 0, begin, begin], register: 3)
      shape([s[0], s[1], begin + (out[2] - 1) * step + 1, begin + (out[3] - 1) * step + 1], register: 4)
      shape([1, 1, step, step], register: 5)
      tensor(0x1E, payload: [4, 0, 1, 2, 3, 4, 5])
    }
  }
}
