/// The nncase 1.x V5 container (`k210.md` §6.1): a 32-byte model header, then the modules, each
/// a 48-byte header, its mempools, one function record (header, input and output memory ranges
/// and shapes) and the `.rdata` and `.text` sections, whose bodies are aligned to the module
/// alignment measured from the start of the file (`body_start` holds the padding).
enum V5Container {
  struct Module {
    var mempools: [(location: UInt8, size: Int)]
    var inputPool: Int, outputPool: Int
    var input: (location: UInt8, type: UInt8, size: Int, shape: [Int])
    var output: (location: UInt8, type: UInt8, size: Int, shape: [Int])
    var rdata: [UInt8], text: [UInt8]
  }

  static func file(stackvm: Module, k210: Module) -> [UInt8] {
    var w = ByteWriter()
    for v in [0x4B4D_444C, 5, 32, 0, 256, 2, 0, 0] { w.u32(v) }
    write(stackvm, type: "stackvm", alignment: 8, into: &w)
    write(k210, type: "k210", alignment: 256, into: &w)
    return w.bytes
  }

  static func write(_ m: Module, type: String, alignment: Int, into w: inout ByteWriter) {
    let start = w.bytes.count
    w.append(Array(type.utf8) + [UInt8](repeating: 0, count: 16 - type.utf8.count))
    for v in [1, 48, 0, m.mempools.count, 0, 2, 1, 0] { w.u32(v) }
    for p in m.mempools {
      w.append([p.location, 0, 0, 0])
      w.u32(p.size)
    }
    var f = ByteWriter()
    for v in [32, 0, m.inputPool, m.outputPool, 1, 1, 0, m.text.count] { f.u32(v) }
    for io in [m.input, m.output] {
      f.append([io.location, io.type, 0, 0])
      f.u32(0)
      f.u32(io.size)
      f.u32(io.shape.count)
      for d in io.shape { f.u32(d) }
    }
    f.pad(to: 8)
    f.bytes.replaceSubrange(4..<8, with: withUnsafeBytes(of: UInt32(f.bytes.count).littleEndian, Array.init))
    w.append(f.bytes)
    for (name, body) in [(".rdata", m.rdata), (".text", m.text)] {
      let header = w.bytes.count
      w.append(Array(name.utf8) + [UInt8](repeating: 0, count: 16 - name.utf8.count))
      w.append([UInt8](repeating: 0, count: 16))
      let before = w.bytes.count
      w.pad(to: alignment)
      var h = ByteWriter()
      for v in [0, w.bytes.count - before, body.count, 0] { h.u32(v) }
      w.bytes.replaceSubrange((header + 16)..<(header + 32), with: h.bytes)
      w.append(body)
    }
    w.pad(to: 8)
    let size = w.bytes.count - start
    w.bytes.replaceSubrange(
      (start + 24)..<(start + 28), with: withUnsafeBytes(of: UInt32(size).littleEndian, Array.init))
  }
}
