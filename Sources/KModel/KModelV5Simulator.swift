/// Runs a V5 kmodel's bytes as the nncase 1.9 runtime does: the entry function's stackvm code
/// is interpreted instruction by instruction (the subset the V5 writer emits: `LDC_I4`, `LDC_R4`,
/// `LEA_BUFFER`, `STSHAPE` and the `TENSOR` functions QUANTIZE, DEQUANTIZE, LUT1D, CALL,
/// RESIZE_IMAGE, REDUCE_WINDOW2D, COPY and SLICE with nncase's stack protocols and reference
/// kernels), and a CALL into the k210 module runs that function's upload, `kpu_conv2d` and
/// download ops on a host KPU RAM (``KPUSimulator``, bit-exact with nncase's KPU emulation).
public struct KModelV5Simulator {
  /// The parsed model.
  public let model: KModelV5

  /// A simulator for `model`; throws when its entry is not a stackvm function with one float32
  /// input.
  public init(_ model: KModelV5) throws {
    let entry = model.modules[model.entryModule]
    guard entry.type == "stackvm", let f = entry.functions.first, f.inputs.count == 1 else {
      throw KModelError.malformed("the entry is not a stackvm function with one input")
    }
    guard f.inputs[0].range.datatype == 9, f.outputs.allSatisfy({ $0.range.datatype == 9 }) else {
      throw KModelError.malformed("the entry function's input and outputs are not float32")
    }
    self.model = model
  }

  /// A simulator for a file's bytes.
  public init(bytes: [UInt8]) throws { try self.init(try KModelV5(bytes: bytes)) }

  /// The entry function.
  var entry: KModelV5.Function { model.modules[model.entryModule].functions[model.entryFunction] }

  /// The input shape (NCHW).
  public var inputShape: [Int] { entry.inputs[0].shape }
  /// The output shapes.
  public var outputShapes: [[Int]] { entry.outputs.map(\.shape) }

  /// Runs the model on one float32 input (NCHW, dense) and returns the float32 outputs.
  public func run(_ input: [Float]) throws -> [[Float]] {
    let f = entry
    guard input.count == inputShape.reduce(1, *) else {
      throw KModelError.badInput(
        "the model takes \(inputShape) = \(inputShape.reduce(1, *)) floats, got \(input.count)")
    }
    let module = model.modules[model.entryModule]
    var m = V5Machine(model: model, module: model.entryModule)
    m.pools[0] = [UInt8](repeating: 0, count: max(f.inputPool, f.inputs[0].range.start + 4 * input.count))
    try m.writeFloats(input, at: V5Address(location: 0, offset: f.inputs[0].range.start))
    m.pools[1] = [UInt8](repeating: 0, count: f.outputPool)
    m.pools[2] = module.section(".rdata")
    m.pools[3] = [UInt8](repeating: 0, count: module.mempools.first { $0.location == 3 }?.size ?? 0)
    let text = module.section(".text")
    try m.interpret(text[f.entrypoint..<(f.entrypoint + f.textSize)])
    return try f.outputs.map { o in
      try m.floats(V5Address(location: 1, offset: o.range.start), o.range.size / 4)
    }
  }
}

/// An address on the stackvm stack: a memory location of the running module and a byte offset.
struct V5Address: Equatable {
  var location: UInt8, offset: Int
}
