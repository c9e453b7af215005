extension KModelV5 {
  /// A human-readable description: the header, each module's mempools, functions (ports, code
  /// range) and sections (size, file offset), and the ops of every function (stackvm tensor
  /// functions with their shapes; k210 uploads, downloads and convolutions with key fields).
  public var text: String {
    let locations: [UInt8: String] = [0: "input", 1: "output", 2: "rdata", 3: "data", 4: "shared", 64: "kpu"]
    let types: [UInt8: String] = [0: "i8", 4: "u8", 7: "u64", 9: "f32"]
    func port(_ p: Port) -> String {
      "\(locations[p.range.location] ?? "loc\(p.range.location)")+\(p.range.start) "
        + "\(types[p.range.datatype] ?? "type\(p.range.datatype)") \(p.shape) (\(p.range.size) bytes)"
    }
    var lines = [
      "kmodel V5 (nncase 1.x runtime / nncase.Simulator)",
      "alignment \(alignment), \(modules.count) modules, entry: module \(entryModule) function \(entryFunction)",
    ]
    for (i, m) in modules.enumerated() {
      lines.append("module \(i) '\(m.type)' v\(m.version):")
      lines.append(
        "  mempools: "
          + m.mempools.map { "\(locations[$0.location] ?? "loc\($0.location)") \($0.size)" }
          .joined(separator: ", "))
      for s in m.sections {
        lines.append("  section \(s.name): \(s.body.count) bytes at file offset \(s.fileOffset)")
      }
      let text = m.section(".text")
      for (j, f) in m.functions.enumerated() {
        lines.append(
          "  function \(j): text \(f.entrypoint)..<\(f.entrypoint + f.textSize), pools in \(f.inputPool) out \(f.outputPool)"
        )
        for p in f.inputs { lines.append("    in  " + port(p)) }
        for p in f.outputs { lines.append("    out " + port(p)) }
        let code = f.entrypoint + f.textSize <= text.count ? text[f.entrypoint..<(f.entrypoint + f.textSize)] : []
        let ops = m.type == "k210" ? Self.k210Ops(code) : Self.stackvmOps(code)
        for op in ops { lines.append("    " + op) }
      }
    }
    return lines.joined(separator: "\n")
  }

  /// The tensor functions of stackvm code, each with the shape in register 0 when it ran.
  static func stackvmOps(_ code: ArraySlice<UInt8>) -> [String] {
    let names: [UInt16: (String, Int)] = [
      0x03: ("CALL", 8), 0x09: ("COPY", 4), 0x0B: ("DEQUANTIZE", 5), 0x10: ("LUT1D", 6), 0x14: ("QUANTIZE", 5),
      0x1A: ("REDUCE_WINDOW2D", 25), 0x1B: ("RESIZE_IMAGE", 7), 0x1E: ("SLICE", 7), 0x17: ("REDUCE", 7),
      0x11: ("MATMUL", 14), 0x01: ("BINARY", 16), 0x26: ("UNARY", 5), 0x13: ("PAD", 6),
    ]
    var r = ByteReader(Array(code))
    var ops: [String] = []
    var values: [Int] = [], shape0: [Int] = []
    do {
      while r.offset < r.bytes.count {
        let at = r.offset
        switch try r.take(1, "op")[at] {
        case 0x02: values.append(Int(try r.i32("i4")))
        case 0x05: _ = try r.f32("r4")
        case 0x17: _ = (try r.take(2, "lea"), try r.int("lea"))
        case 0x31:
          let b = try r.take(2, "stshape")
          let rank = Int(b[b.startIndex + 1])
          let dims = Array(values.suffix(rank))
          values.removeLast(min(rank, values.count))
          if b[b.startIndex] == 0 { shape0 = dims }
        case 0x32:
          let b = try r.take(2, "stpaddings")
          values.removeLast(min(3 * Int(b[b.startIndex + 1]), values.count))
        case 0x5E:
          let f = try r.take(2, "funct")
          let id = UInt16(f[f.startIndex]) | UInt16(f[f.startIndex + 1]) << 8
          guard let (name, size) = names[id] else {
            ops.append("\(at): TENSOR 0x\(String(id, radix: 16)) (unknown)")
            return ops
          }
          let p = Array(try r.take(size, "payload"))
          let detail = id == 0x03 ? "k210 function \(Int(p[0]) | Int(p[1]) << 8)" : "\(shape0)"
          ops.append("\(at): \(name) \(detail)")
        default:
          ops.append("\(at): opcode 0x\(String(r.bytes[at], radix: 16)) (unknown)")
          return ops
        }
      }
    } catch { ops.append("(code cut short)") }
    return ops
  }

  /// The ops of k210 code.
  static func k210Ops(_ code: ArraySlice<UInt8>) -> [String] {
    var r = ByteReader(Array(code))
    var ops: [String] = []
    do {
      while r.offset < r.bytes.count {
        let at = r.offset
        let op = try r.take(4, "op")[at]
        var ranges: [(UInt8, Int, Int)] = []
        for _ in 0..<(op == 2 ? 4 : 2) {
          let b = try r.take(4, "range")
          ranges.append((b[b.startIndex], try r.int("start"), try r.int("size")))
        }
        if op == 0 || op == 1 {
          let s = try (0..<4).map { _ in try r.int("shape") }
          let row = (op == 0 ? ranges[1] : ranges[0]).1 / 64
          ops.append("\(at): \(op == 0 ? "kpu_upload" : "kpu_download") \(s) @row \(row)")
        } else if op == 2 {
          _ = try r.int("batches")
          let a = try KPULayerArgument(words: try (0..<12).map { _ in try r.u64("word") })
          ops.append(
            "\(at): kpu_conv2d \(a.filter)×\(a.filter)\(a.depthwise == 1 ? " depthwise" : ""), "
              + "\(a.inputChannels)×\(a.inputHeight)×\(a.inputWidth) @row \(a.imageSourceAddress) → "
              + "\(a.outputChannels)×\(a.outputHeight)×\(a.outputWidth) @row \(a.imageDestinationAddress), pool \(a.poolType)"
          )
        } else {
          ops.append("\(at): k210 opcode \(op) (unknown)")
          return ops
        }
      }
    } catch { ops.append("(code cut short)") }
    return ops
  }
}
