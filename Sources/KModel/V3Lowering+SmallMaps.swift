import Quantization

/// Maps smaller than 4×4. The KPU needs at least 4×4; nncase 1.9 (`src/transforms/neutral/
/// pad_conv.cpp`, registered by `targets/k210/k210_target.cpp`) pads the input of such a 1×1 or
/// 3×3 convolution on the bottom and right to 4 with the float value 0, runs the convolution on
/// the padded map with its usual padding, and slices the original output size from the top-left
/// corner. After quantization the float 0 is the input zero point, which is also the KPU's
/// `pad_value`, so every tap of an output pixel in the original corner reads what the unpadded
/// same-padded convolution reads: the corner is bit-identical to the executor's layer (tested in
/// `KModelV3SmallMapTests`), and the executor needs no change. No KPU pool reaches past the
/// corner either (stride 2 picks pixel (2i, 2j)).
///
/// V3 has no pad or slice layer, so the writer expresses them with layers the SDK has:
/// - pad: a `REQUANTIZE` whose 256 table entries are all the pad value writes a filler (up to 4
///   bytes, read from any bytes of the map), then one `CONCAT` copies each image row followed by
///   filler bytes, and filler rows, into a dense 4×4 map, which `K210_UPLOAD` puts in KPU RAM;
/// - crop: a 1×1 stride-1 `QUANTIZED_MAX_POOL2D` whose output shape is the original map (its
///   maximum starts at 0, so it copies each code of the corner).
/// A padded output stays in KPU RAM for 1×1 readers, which ignore the pad. It streams to main
/// memory when the CPU, a model output or a 3×3 reader needs it: cropped for the CPU and the
/// outputs; a 3×3 reader pads it again (its pad concat copies the corner's rows straight from
/// the padded map), since the pad region of a KPU output holds computed values.
extension V3Lowering {
  /// `value` (smaller than 4×4) in KPU RAM, padded to at least 4×4 on the bottom and right.
  mutating func paddedKPUBuffer(
    _ value: String, _ param: K210QuantParam, padValue: UInt8, filter: Int, for node: String
  ) throws -> Int {
    if filter == 1, let hit = paddedOnKPU[value], hit.param == param { return hit.buffer }
    let s = shapes[value] ?? []
    guard s.count == 4 else {
      throw KModelError.unsupportedOp(node: node, op: "Conv", reason: "its input '\(value)' is not a 4-D map.")
    }
    let (c, h, w) = (s[1], s[2], s[3])
    let (ph, pw) = (max(h, limits.minSide), max(w, limits.minSide))
    // the rows come from the cropped codes, or straight from the padded map in main memory
    let data: Int, rowPitch: Int, channelPitch: Int
    if codes[value] == nil, let p = paddedInMain[value], p.param == param {
      (data, rowPitch, channelPitch) = (p.buffer, p.width, p.height * p.width)
    } else {
      (data, rowPitch, channelPitch) = (try codeBuffer(value, param, for: node), w, h * w)
    }
    let filler = fill(padValue, from: data, available: c * h * w)
    var ranges: [KModelV3Range] = []
    /// Appends `n` pad bytes as filler ranges.
    func pad(_ n: Int) {
      var left = n
      while left > 0 {
        let k = min(left, filler.bytes)
        ranges.append(KModelV3Range(start: filler.buffer, size: k))
        left -= k
      }
    }
    for ch in 0..<c {
      for row in 0..<h {
        ranges.append(KModelV3Range(start: newView(data, offset: ch * channelPitch + row * rowPitch), size: w))
        pad(pw - w)
      }
      pad((ph - h) * pw)
    }
    let padded = newMain(c * ph * pw)
    use(data, filler.buffer)
    layers.append(.concat(output: padded, inputs: ranges))
    kpu.append([1, c, ph, pw])
    use(padded)
    layers.append(.upload(input: padded, kpuRow: kpu.count - 1, width: pw, height: ph, channels: c))
    return kpu.count - 1
  }

  /// A main buffer of up to 4 bytes equal to `value`: a `REQUANTIZE` with a constant table over
  /// the first bytes of `source` (written once per pad value and reused).
  mutating func fill(_ value: UInt8, from source: Int, available: Int) -> (buffer: Int, bytes: Int) {
    if let f = fillers[value] { return f }
    let n = min(4, available)
    let out = newMain(n)
    use(source)
    layers.append(.requantize(input: source, output: out, count: n, table: [UInt8](repeating: value, count: 256)))
    fillers[value] = (out, n)
    return (out, n)
  }

  /// Makes the cropped codes of `value` when it is only a padded map in main memory.
  mutating func cropPadded(_ value: String) throws {
    guard codes[value] == nil, let p = paddedInMain[value], let s = shapes[value], s.count == 4 else { return }
    codes[value] = [(p.param, crop(p.buffer, channels: s[1], from: (p.height, p.width), to: (s[2], s[3])))]
  }

  /// The top-left `to` corner of a dense map of `from` size: a 1×1 stride-1 max pool.
  mutating func crop(_ source: Int, channels: Int, from: (h: Int, w: Int), to: (h: Int, w: Int)) -> Int {
    let out = newMain(channels * to.h * to.w)
    use(source)
    layers.append(
      .quantizedMaxPool2D(
        KModelV3Pool(
          input: source, output: out, inShape: KModelV3Shape(width: from.w, height: from.h, channels: channels),
          outShape: KModelV3Shape(width: to.w, height: to.h, channels: channels), kernelWidth: 1, kernelHeight: 1,
          strideWidth: 1, strideHeight: 1, paddingWidth: 0, paddingHeight: 0)))
    return out
  }
}
