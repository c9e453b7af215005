extension V5Machine {
  /// CALL: pops each destination, then each source (address, type, shape and strides
  /// registers), runs the k210 function on dense uint8 tensors and writes its output.
  mutating func call(module moduleID: Int, function: Int, sources: Int, destinations: Int) throws {
    guard moduleID < model.modules.count, model.modules[moduleID].type == "k210",
      function < model.modules[moduleID].functions.count
    else {
      throw KModelError.malformed("CALL of function \(function) of module \(moduleID), which is not a k210 function")
    }
    var ports: [(address: V5Address, shape: [Int])] = []
    for _ in 0..<(sources + destinations) {
      let (strides, shape) = (
        try register(UInt8(try popInt("a strides register"))), try register(UInt8(try popInt("a shape register")))
      )
      let type = try popInt("a data type")
      let address = try popAddress("a tensor address")
      guard type == 4, strides == StackVMWriter.strides(shape) else {
        throw KModelError.malformed("a CALL tensor that is not dense uint8 (type \(type))")
      }
      ports.insert((address, shape), at: 0)
    }
    guard sources == 1, destinations == 1 else {
      throw KModelError.malformed("a CALL with \(sources) inputs and \(destinations) outputs")
    }
    let m = model.modules[moduleID], f = m.functions[function]
    let input = Array(try bytes(ports[0].address, ports[0].shape.reduce(1, *)))
    var output = [UInt8](repeating: 0, count: ports[1].shape.reduce(1, *))
    let text = m.section(".text")
    try runK210(
      text[f.entrypoint..<(f.entrypoint + f.textSize)], rdata: m.section(".rdata"), input: input, output: &output)
    try write(output, at: ports[1].address)
  }

  /// A k210 function's ops: upload (0), download (1) and `kpu_conv2d` (2).
  mutating func runK210(_ code: ArraySlice<UInt8>, rdata: [UInt8], input: [UInt8], output: inout [UInt8]) throws {
    var r = ByteReader(Array(code))
    func range() throws -> KModelV5.MemoryRange {
      let b = try r.take(4, "a memory range")
      return .init(
        location: b[b.startIndex], datatype: b[b.startIndex + 1], start: try r.int("a start"), size: try r.int("a size")
      )
    }
    func slice(_ data: [UInt8], _ m: KModelV5.MemoryRange, _ what: String) throws -> [UInt8] {
      guard m.start >= 0, m.start + m.size <= data.count else {
        throw KModelError.malformed(
          "the k210 \(what) (bytes \(m.start)..<\(m.start + m.size)) lies outside its \(data.count)-byte memory")
      }
      return Array(data[m.start..<(m.start + m.size)])
    }
    while r.offset < r.bytes.count {
      let head = try r.take(4, "a k210 opcode")
      let op = head[head.startIndex]
      switch op {
      case 0, 1:
        let (from, to) = (try range(), try range())
        let s = try (0..<4).map { _ in try r.int("a k210 shape") }
        guard s[0] == 1, (op == 0 ? to : from).location == 64, (op == 0 ? to : from).start % 64 == 0 else {
          throw KModelError.malformed("a k210 upload or download of batch \(s[0]) or not on a KPU row")
        }
        if op == 0 {
          let data = try slice(input, from, "upload source")
          guard data.count == s[1] * s[2] * s[3] else {
            throw KModelError.malformed("an upload of \(data.count) bytes for shape \(s)")
          }
          try kpu.upload(data[...], row: to.start / 64, width: s[3], height: s[2], channels: s[1])
        } else {
          let data = try kpu.download(row: from.start / 64, width: s[3], height: s[2], channels: s[1])
          guard to.location == 1, to.start + data.count <= output.count else {
            throw KModelError.malformed("a k210 download of \(data.count) bytes outside the function's output")
          }
          output.replaceSubrange(to.start..<(to.start + data.count), with: data)
        }
      case 2:
        let (w, bn, act, mainOut) = (try range(), try range(), try range(), try range())
        let batches = try r.int("the batch count")
        let words = try (0..<12).map { _ in try r.u64("a KPU register word") }
        guard batches == 1, mainOut.size == 0 else {
          throw KModelError.malformed("a kpu_conv2d with \(batches) batches or a main-memory output")
        }
        let a = try KPULayerArgument(words: words)
        let bnBytes = try slice(rdata, bn, "BN words")
        let bnWords = (0..<(bnBytes.count / 8)).map { i in
          (0..<8).reduce(UInt64(0)) { $0 | UInt64(bnBytes[8 * i + $1]) << (8 * UInt64($1)) }
        }
        _ = try kpu.run(
          a, weights: try slice(rdata, w, "weights"), batchNorm: bnWords,
          activation: try slice(rdata, act, "activation table"))
      default:
        throw KModelError.malformed("k210 opcode \(op) is not one this simulator runs")
      }
    }
  }
}
