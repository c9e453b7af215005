import Quantization

extension V3Lowering {
  /// `value` as float32 in main memory: dequantized from its codes when needed
  /// (`DEQUANTIZE`, q·scale + bias with bias = −zeroPoint·scale).
  mutating func floatBuffer(_ value: String, for node: String) throws -> Int {
    if let id = floats[value] { return id }
    try cropPadded(value)
    guard let (param, source) = codes[value]?.first else {
      throw KModelError.unsupportedGraph(
        reason: "'\(value)' (read by '\(node)') is only in KPU RAM; V3 reads the model input on the KPU only")
    }
    let n = count(value)
    let out = newMain(4 * n)
    use(source)
    layers.append(
      .dequantize(
        input: source, output: out, count: n, scale: param.scale, bias: Float(-param.zeroPoint) * param.scale))
    floats[value] = out
    return out
  }

  /// `value` as uint8 codes in `param` in main memory: its codes requantized by a table when
  /// they are in another format, or its float32 values quantized (`QUANTIZE`).
  mutating func codeBuffer(_ value: String, _ param: K210QuantParam, for node: String) throws -> Int {
    try cropPadded(value)
    if let hit = codes[value]?.first(where: { $0.param == param }) { return hit.buffer }
    let n = count(value)
    if let (source, id) = codes[value]?.first {
      let out = newMain(n)
      use(id)
      let table = (0..<256).map { param.quantize(source.dequantize(UInt8($0))) }
      layers.append(.requantize(input: id, output: out, count: n, table: table))
      codes[value, default: []].append((param, out))
      return out
    }
    guard floats[value] != nil else {
      throw KModelError.unsupportedGraph(
        reason: "'\(value)' (read by '\(node)') is only in KPU RAM; V3 reads the model input on the KPU only")
    }
    let input = try floatBuffer(value, for: node)
    let out = newMain(n)
    use(input)
    layers.append(
      .quantize(input: input, output: out, count: n, scale: param.scale, bias: Float(-param.zeroPoint) * param.scale))
    codes[value, default: []].append((param, out))
    return out
  }

  /// `value` in KPU RAM in `param`: uploaded (`K210_UPLOAD`) from its codes in main memory.
  mutating func kpuBuffer(_ value: String, _ param: K210QuantParam, for node: String) throws -> Int {
    if let hit = onKPU[value], hit.param == param { return hit.buffer }
    let source = try codeBuffer(value, param, for: node)
    let s = shapes[value] ?? []
    kpu.append(s)
    use(source)
    layers.append(.upload(input: source, kpuRow: kpu.count - 1, width: s[3], height: s[2], channels: s[1]))
    onKPU[value] = (param, kpu.count - 1)
    return kpu.count - 1
  }

  /// Makes `output` a view of `input` (no layer).
  mutating func alias(_ output: String, _ input: String) {
    floats[output] = floats[input]
    codes[output] = codes[input]
    onKPU[output] = onKPU[input]
    paddedOnKPU[output] = paddedOnKPU[input]
    paddedInMain[output] = paddedInMain[input]
  }
}
