import Graph
import K210
import Quantization

extension V3Lowering {
  /// A KPU convolution: its input in KPU RAM, the `K210_CONV` layer, and its output in KPU RAM
  /// and, when a CPU layer or a model output reads it, in main memory.
  mutating func lowerConv(_ node: Node, _ layer: K210Executor.KPULayer) throws {
    let q = layer.quantized
    let input = node.inputs[0]
    let output = layer.activation.flatMap { graph.node(named: $0)?.outputs[0] } ?? node.outputs[0]
    guard let x = shapes[input], x.count == 4, let y = shapes[output], y.count == 4 else {
      throw KModelError.unsupportedOp(node: node.name, op: node.op.rawValue, reason: "its maps are not 4-D.")
    }
    guard layer.origin == 0 else {
      throw KModelError.unsupportedOp(
        node: node.name, op: node.op.rawValue,
        reason: "it has no padding, which the KPU runs as a same-padded layer sliced from pixel (1, 1), and V3 has"
          + " no slice layer; export V5 (export.kmodel.version 5) or give the convolution 'same' padding.")
    }
    let (c, h, w, oc) = (x[1], x[2], x[3], q.layer.outChannels)
    // maps smaller than 4×4 run padded to 4×4 on the right and bottom (nncase 1.9's
    // pad_conv_transform), cropped after: see V3Lowering+SmallMaps.swift
    let small = h < limits.minSide || w < limits.minSide
    if small && input == graph.inputs.first?.name {
      throw KModelError.unsupportedOp(
        node: node.name, op: node.op.rawValue,
        reason: "its input height is \(h) and width \(w), and the SDK uploads the model input unpadded to the first"
          + " layer, whose map must be at least \(limits.minSide)×\(limits.minSide); enlarge the input image.")
    }
    let (ph, pw) = small ? (max(h, limits.minSide), max(w, limits.minSide)) : (h, w)
    let depthwiseStride = q.layer.depthwise && layer.stride == 2
    let pool = layer.stride == 2 && !depthwiseStride ? 5 : 0
    let (oh, ow) = pool == 5 ? (ph / 2, pw / 2) : (ph, pw)
    for (what, v, lo, hi) in [
      ("input height", ph, limits.minSide, limits.maxHeight), ("input width", pw, limits.minSide, limits.maxWidth),
      ("output height", oh, limits.minSide, limits.maxHeight),
      ("output width", ow, limits.minSide, limits.maxWidth),
      ("input channels", c, 1, limits.maxChannels), ("output channels", oc, 1, limits.maxChannels),
    ] where v < lo || v > hi {
      throw KModelError.unsupportedOp(
        node: node.name, op: node.op.rawValue,
        reason: "its \(what) is \(v); the KPU accepts \(lo)…\(hi) (pad small maps or lower the resolution).")
    }
    let source =
      small
      ? try paddedKPUBuffer(input, q.input, padValue: q.layer.padValue, filter: q.layer.filter, for: node.name)
      : try kpuBuffer(input, q.input, for: node.name)
    kpu.append([1, oc, oh, ow])
    let target = kpu.count - 1
    let croppedOutput = !depthwiseStride && (oh, ow) != (y[2], y[3])
    let needsMain =
      depthwiseStride || graphOutputs.contains(output)
      || (readers[output] ?? []).contains { r in
        guard let l = executor.layers[r.name] else { return true }
        // a 3×3 reader of a padded map needs a clean pad: it is cropped and padded again
        return croppedOutput && l.quantized.layer.filter == 3
      }
    let mainOut = needsMain ? newMain(oc * oh * ow) : nil
    var a = try Self.argument(q.layer, height: ph, width: pw, outHeight: oh, outWidth: ow, pool: pool, node: node.name)
    a.imageSourceAddress = source
    a.imageDestinationAddress = target
    let bn = try q.layer.batchNorm.map { try KPUTables.batchNormWord($0, layer: node.name) }
    let act = try KPUTables.activationBytes(q.layer.activation, layer: node.name)
    kpuLayers.append((source, target))
    layers.append(
      .conv(
        KModelV3Conv(
          mainMemoryOutput: mainOut, argument: a, weights: q.layer.weights, batchNorm: bn, activation: act)))
    if depthwiseStride, let full = mainOut {
      // keep every second row and column of the stride-1 result: a 1×1 window at stride 2
      let strided = newMain(oc * y[2] * y[3])
      use(full)
      let pick = KModelV3Pool(
        input: full, output: strided, inShape: KModelV3Shape(width: ow, height: oh, channels: oc),
        outShape: KModelV3Shape(width: y[3], height: y[2], channels: oc), kernelWidth: 1, kernelHeight: 1,
        strideWidth: 2, strideHeight: 2, paddingWidth: 0, paddingHeight: 0)
      layers.append(.quantizedMaxPool2D(pick))
      codes[output] = [(q.output, strided)]
      return
    }
    if croppedOutput {
      paddedOnKPU[output] = (q.output, target)
      if let m = mainOut {
        paddedInMain[output] = (q.output, m, oh, ow)
        // the CPU and the outputs read the cropped codes; 3×3 readers pad straight from the
        // padded map (their pad concat skips its last columns and rows)
        let cpu = graphOutputs.contains(output) || (readers[output] ?? []).contains { executor.layers[$0.name] == nil }
        if cpu { try cropPadded(output) }
      }
      return
    }
    // with KLF_MAIN_MEM_OUT the output streams to main memory (send_data_out); whether it also
    // stays in KPU RAM is not documented, so a KPU reader of such an output uploads it again
    if let m = mainOut {
      codes[output] = [(q.output, m)]
    } else {
      onKPU[output] = (q.output, target)
    }
  }

  /// The register words of a layer (addresses left 0: the caller and ``finish()`` set them;
  /// the runtime fills the table addresses).
  static func argument(
    _ l: K210ConvLayer, height h: Int, width w: Int, outHeight oh: Int, outWidth ow: Int, pool: Int, node: String
  ) throws -> KPULayerArgument {
    var a = KPULayerArgument()
    let (ic, oc, f) = (l.inChannels, l.outChannels, l.filter)
    a.depthwise = l.depthwise ? 1 : 0
    a.inputChannelsMinus1 = ic - 1
    a.outputChannelsMinus1 = oc - 1
    let perLoad: Int, loadSize: Int
    if l.depthwise {
      (perLoad, loadSize) = (oc, oc * f * f)
    } else {
      let oneChannel = f * f * ic
      perLoad = min(oc, 30 * 1024 / oneChannel)
      guard perLoad > 0 else {
        throw KModelError.fieldOverflow(layer: node, field: "para_size", value: oneChannel, bits: 15)
      }
      loadSize = oneChannel * perLoad
    }
    a.outputChannelsPerLoadMinus1 = perLoad - 1
    a.loadTimeMinus1 = (oc + perLoad - 1) / perLoad - 1
    a.parameterSize = loadSize
    a.loadCoefficients = 1
    (a.inputWidthMinus1, a.inputHeightMinus1, a.outputWidthMinus1, a.outputHeightMinus1) = (
      w - 1, h - 1, ow - 1, oh - 1
    )
    a.kernelType = f == 3 ? 1 : 0
    a.poolType = pool
    a.loadPara = 1
    a.dmaBurstSize = 15
    a.padValue = Int(l.padValue)
    let inLayout = KPURowLayout(width: w), outLayout = KPURowLayout(width: ow)
    (a.channelSwitchAddress, a.rowSwitchAddress, a.coefficientGroup) =
      (inLayout.rowLength * h, inLayout.rowLength, inLayout.groups)
    a.loadActivation = 1
    (a.writeBackChannelSwitchAddress, a.writeBackRowSwitchAddress, a.writeBackGroup) =
      (outLayout.rowLength * oh, outLayout.rowLength, outLayout.groups)
    (a.shiftW, a.shiftX, a.argW, a.argX, a.argAdd) = (l.shiftW, l.shiftX, Int(l.argW), Int(l.argX), Int(l.argAdd))
    a.channelByteCountMinus1 = ow * oh - 1
    a.dmaTotalByteCountMinus1 = ow * oh * oc - 1
    return a
  }
}
