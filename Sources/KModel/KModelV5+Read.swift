extension KModelV5 {
  /// Parses a V5 file. Throws ``KModelError/malformed(_:)`` with a sentence for a wrong magic or
  /// version, a header size nncase does not write, a truncated record, or a section, function
  /// or entry that points outside the file or its module.
  public init(bytes: [UInt8]) throws {
    var r = ByteReader(bytes)
    guard bytes.count >= 32 else {
      throw KModelError.malformed("the file has \(bytes.count) bytes, fewer than the 32-byte V5 model header")
    }
    let magic = try r.int("the identifier")
    guard magic == Self.magic else {
      throw KModelError.malformed(
        "the identifier is 0x\(String(magic, radix: 16)), not 'KMDL' (0x4b4d444c); this is not an nncase kmodel")
    }
    let version = try r.int("the version")
    guard version == 5 else {
      throw KModelError.malformed(
        "the version is \(version); this reader takes V5 (nncase 1.x)" + (version == 3 ? ", V3 has its own reader" : "")
      )
    }
    let headerSize = try r.int("the header size")
    guard headerSize == 32 else { throw KModelError.malformed("the model header size is \(headerSize), not 32") }
    _ = try r.int("the flags")
    let alignment = try r.int("the alignment")
    let count = try r.int("the module count")
    let (entryModule, entryFunction) = (try r.int("the entry module"), try r.int("the entry function"))
    guard alignment > 0, alignment <= 4096 else { throw KModelError.malformed("the alignment is \(alignment)") }
    guard count <= (bytes.count - 32) / 48 else {
      throw KModelError.malformed("the header announces \(count) modules, more than the file can hold")
    }
    var modules: [Module] = []
    for i in 0..<count { modules.append(try Self.readModule(&r, index: i)) }
    guard entryModule < modules.count, entryFunction < modules[entryModule].functions.count else {
      throw KModelError.malformed(
        "the entry is function \(entryFunction) of module \(entryModule), which the file does not have")
    }
    self.init(alignment: alignment, modules: modules, entryModule: entryModule, entryFunction: entryFunction)
  }

  static func readModule(_ r: inout ByteReader, index: Int) throws -> Module {
    let start = r.offset
    let what = "module \(index)"
    let type = String(decoding: try r.take(16, "\(what)'s type").prefix { $0 != 0 }, as: UTF8.self)
    let version = try r.int("\(what)'s version")
    let headerSize = try r.int("\(what)'s header size")
    guard headerSize == 48 else { throw KModelError.malformed("\(what)'s header size is \(headerSize), not 48") }
    let size = try r.int("\(what)'s size")
    guard start + size <= r.bytes.count, size >= 48 else {
      throw KModelError.malformed(
        "\(what) ('\(type)') claims \(size) bytes from byte \(start), past the end of the \(r.bytes.count)-byte file")
    }
    let (pools, shared) = (try r.int("\(what)'s mempool count"), try r.int("\(what)'s shared mempool count"))
    let (sectionCount, functionCount) = (try r.int("\(what)'s section count"), try r.int("\(what)'s function count"))
    _ = try r.int("\(what)'s reserved word")
    guard pools + shared + sectionCount + functionCount <= size else {
      throw KModelError.malformed("\(what) announces more records than its \(size) bytes hold")
    }
    var mempools: [Mempool] = []
    for _ in 0..<pools {
      let head = try r.take(4, "\(what)'s mempool")
      let location = head[head.startIndex]
      mempools.append(Mempool(location: location, size: try r.int("\(what)'s mempool size")))
    }
    _ = try r.take(8 * shared, "\(what)'s shared mempools")
    var functions: [Function] = []
    for f in 0..<functionCount { functions.append(try readFunction(&r, what: "\(what) function \(f)")) }
    var sections: [Section] = []
    for _ in 0..<sectionCount {
      let name = String(decoding: try r.take(16, "\(what)'s section name").prefix { $0 != 0 }, as: UTF8.self)
      let flags = try r.int("section \(name)'s flags")
      let (padding, bodySize) = (try r.int("section \(name)'s body start"), try r.int("section \(name)'s body size"))
      _ = try r.int("section \(name)'s reserved word")
      _ = try r.take(padding, "section \(name)'s padding")
      let offset = r.offset
      let body = Array(try r.take(bodySize, "section \(name)'s \(bodySize)-byte body"))
      guard r.offset <= start + size else {
        throw KModelError.malformed("section \(name) of \(what) ends at byte \(r.offset), past the module's end")
      }
      sections.append(Section(name: name, flags: flags, body: body, fileOffset: offset))
    }
    let textSize = sections.first { $0.name == ".text" }?.body.count ?? 0
    for (i, f) in functions.enumerated() where f.entrypoint + f.textSize > textSize {
      throw KModelError.malformed(
        "\(what) function \(i)'s code (bytes \(f.entrypoint)..<\(f.entrypoint + f.textSize)) lies outside its"
          + " \(textSize)-byte .text section")
    }
    r.offset = start + size
    return Module(type: type, version: version, mempools: mempools, functions: functions, sections: sections)
  }

  static func readFunction(_ r: inout ByteReader, what: String) throws -> Function {
    let start = r.offset
    guard try r.int("\(what)'s header size") == 32 else {
      throw KModelError.malformed("\(what)'s header size is not 32")
    }
    let size = try r.int("\(what)'s size")
    let (inputPool, outputPool) = (try r.int("\(what)'s input pool"), try r.int("\(what)'s output pool"))
    let (inputs, outputs) = (try r.int("\(what)'s input count"), try r.int("\(what)'s output count"))
    let (entry, textSize) = (try r.int("\(what)'s entry point"), try r.int("\(what)'s text size"))
    guard inputs + outputs <= size / 12 else { throw KModelError.malformed("\(what) announces too many ports") }
    func ports(_ n: Int, _ kind: String) throws -> [Port] {
      var ranges: [MemoryRange] = []
      for _ in 0..<n {
        let b = try r.take(4, "\(what)'s \(kind) range")
        let (lo, dt) = (b[b.startIndex], b[b.startIndex + 1])
        ranges.append(
          MemoryRange(location: lo, datatype: dt, start: try r.int("\(kind) start"), size: try r.int("\(kind) size")))
      }
      return try ranges.map { range in
        let rank = try r.int("\(what)'s \(kind) rank")
        guard rank <= 8 else { throw KModelError.malformed("\(what) has a \(kind) of rank \(rank)") }
        return Port(range, shape: try (0..<rank).map { _ in try r.int("\(what)'s \(kind) shape") })
      }
    }
    let ins = try ports(inputs, "input"), outs = try ports(outputs, "output")
    guard r.offset <= start + size else { throw KModelError.malformed("\(what)'s ports run past its \(size) bytes") }
    r.offset = start + size
    return Function(
      inputPool: inputPool, outputPool: outputPool, inputs: ins, outputs: outs, entrypoint: entry, textSize: textSize)
  }
}
