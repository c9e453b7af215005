/// An nncase 1.x kmodel V5 (the format `nncase.Simulator` 1.9 and the nncase 1.x runtime load;
/// `k210.md` §6.1): a 32-byte model header, then modules (`stackvm` for the CPU side, `k210` for
/// the KPU), each with its mempools, function records (memory ranges and shapes of the inputs
/// and outputs, the entry point into `.text`) and named sections whose bodies are aligned to the
/// model alignment measured from the start of the file.
public struct KModelV5: Equatable, Sendable {
  /// A byte range in one of a module's memory locations (0 input, 1 output, 2 rdata, 3 data,
  /// 64 KPU RAM) with its element type (4 uint8, 9 float32, …).
  public struct MemoryRange: Equatable, Sendable {
    public var location: UInt8, datatype: UInt8, start: Int, size: Int
    public init(location: UInt8, datatype: UInt8, start: Int, size: Int) {
      (self.location, self.datatype, self.start, self.size) = (location, datatype, start, size)
    }
  }

  /// A function's input or output: where it lies and its shape.
  public struct Port: Equatable, Sendable {
    public var range: MemoryRange, shape: [Int]
    public init(_ range: MemoryRange, shape: [Int]) { (self.range, self.shape) = (range, shape) }
  }

  /// One function: its pools, ports and code (`entrypoint` and `textSize` are bytes of `.text`).
  public struct Function: Equatable, Sendable {
    public var inputPool: Int, outputPool: Int
    public var inputs: [Port], outputs: [Port]
    public var entrypoint: Int, textSize: Int
    public init(inputPool: Int, outputPool: Int, inputs: [Port], outputs: [Port], entrypoint: Int, textSize: Int) {
      (self.inputPool, self.outputPool, self.inputs, self.outputs) = (inputPool, outputPool, inputs, outputs)
      (self.entrypoint, self.textSize) = (entrypoint, textSize)
    }
  }

  /// A mempool a module asks the runtime for.
  public struct Mempool: Equatable, Sendable {
    public var location: UInt8, size: Int
    public init(location: UInt8, size: Int) { (self.location, self.size) = (location, size) }
  }

  /// A named section (`.rdata`, `.text`).
  public struct Section: Equatable, Sendable {
    public var name: String, flags: Int, body: [UInt8]
    /// Where the body starts in the file (filled when read or serialized).
    public var fileOffset = 0
    public init(name: String, flags: Int = 0, body: [UInt8], fileOffset: Int = 0) {
      (self.name, self.flags, self.body, self.fileOffset) = (name, flags, body, fileOffset)
    }
  }

  /// One module.
  public struct Module: Equatable, Sendable {
    public var type: String, version: Int
    public var mempools: [Mempool], functions: [Function], sections: [Section]
    public init(type: String, version: Int = 1, mempools: [Mempool], functions: [Function], sections: [Section]) {
      (self.type, self.version, self.mempools, self.functions, self.sections) =
        (type, version, mempools, functions, sections)
    }
    /// The body of the section named `name`, or empty.
    public func section(_ name: String) -> [UInt8] { sections.first { $0.name == name }?.body ?? [] }
  }

  /// The alignment of section bodies in the file: 256 with a k210 module, 8 for stackvm only.
  public var alignment: Int
  public var modules: [Module]
  public var entryModule: Int, entryFunction: Int

  public init(alignment: Int, modules: [Module], entryModule: Int = 0, entryFunction: Int = 0) {
    (self.alignment, self.modules, self.entryModule, self.entryFunction) =
      (alignment, modules, entryModule, entryFunction)
  }

  /// The file identifier 'KMDL' (bytes "LDMK").
  public static let magic = 0x4B4D_444C

  /// The file's bytes.
  public func serialized() -> [UInt8] {
    var w = ByteWriter()
    for v in [Self.magic, 5, 32, 0, alignment, modules.count, entryModule, entryFunction] { w.u32(v) }
    for m in modules { Self.write(m, alignment: alignment, into: &w) }
    return w.bytes
  }

  static func fixed(_ s: String) -> [UInt8] {
    Array(s.utf8.prefix(16)) + [UInt8](repeating: 0, count: max(0, 16 - s.utf8.count))
  }

  static func write(_ m: Module, alignment: Int, into w: inout ByteWriter) {
    let start = w.bytes.count
    w.append(fixed(m.type))
    for v in [m.version, 48, 0, m.mempools.count, 0, m.sections.count, m.functions.count, 0] { w.u32(v) }
    for p in m.mempools {
      w.append([p.location, 0, 0, 0])
      w.u32(p.size)
    }
    for f in m.functions {
      var r = ByteWriter()
      for v in [32, 0, f.inputPool, f.outputPool, f.inputs.count, f.outputs.count, f.entrypoint, f.textSize] {
        r.u32(v)
      }
      for ports in [f.inputs, f.outputs] {
        for p in ports {
          r.append([p.range.location, p.range.datatype, 0, 0])
          r.u32(p.range.start)
          r.u32(p.range.size)
        }
        for p in ports {
          r.u32(p.shape.count)
          for d in p.shape { r.u32(d) }
        }
      }
      r.pad(to: 8)
      r.bytes.replaceSubrange(4..<8, with: le32(r.bytes.count))
      w.append(r.bytes)
    }
    for s in m.sections {
      let header = w.bytes.count
      w.append(fixed(s.name))
      w.append([UInt8](repeating: 0, count: 16))
      let before = w.bytes.count
      w.pad(to: alignment)
      var h = ByteWriter()
      for v in [s.flags, w.bytes.count - before, s.body.count, 0] { h.u32(v) }
      w.bytes.replaceSubrange((header + 16)..<(header + 32), with: h.bytes)
      w.append(s.body)
    }
    w.pad(to: 8)
    w.bytes.replaceSubrange((start + 24)..<(start + 28), with: le32(w.bytes.count - start))
  }

  static func le32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }
}
