import Foundation
import Graph
import Tensors

/// The layers with weights and windows: Conv (with a pending Pad), MaxPool/AveragePool,
/// Gemm/MatMul as Dense, and Add (of two tensors, or a bias after a bias-less layer).
extension ImportOps {
  static func conv(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    try n.checkAttributes(["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"])
    guard n.input.count >= 2 else { throw n.unsupported("needs an input and a weight") }
    var padding = [0, 0, 0, 0]
    let input: String
    if case let .pending(.pad(source, p, _))? = c.values[n.input[0]] {
      input = source
      padding = p
    } else {
      input = try c.runtime(n.input[0], n)
    }
    let w = try c.constant(n.input[1], n, "weight")
    guard w.shape.count == 4 else { throw n.unsupported("is supported in 2-D only (weight of rank 4), got \(w.shape)") }
    let kernel = n.ints("kernel_shape") ?? [w.shape[2], w.shape[3]]
    let stride = n.ints("strides") ?? [1, 1], dilation = n.ints("dilations") ?? [1, 1]
    let inShape = c.shapes[input] ?? []
    let pads = try explicitPads(n, input: inShape, kernel: kernel, stride: stride, dilation: dilation)
    padding = zip(padding, pads).map { $0 + $1 }
    var attrs: [String: Attribute] = ["outChannels": .int(w.shape[0]), "kernel": .ints(kernel)]
    if stride != [1, 1] { attrs["stride"] = .ints(stride) }
    if padding != [0, 0, 0, 0] { attrs["padding"] = .ints(padding) }
    if dilation != [1, 1] { attrs["dilation"] = .ints(dilation) }
    let groups = n.int("group", 1)
    if groups != 1 { attrs["groups"] = .int(groups) }
    var params = ["weight": w.floatTensor]
    if let b = try c.optionalConstant(n, 2, "bias") {
      params["bias"] = b.floatTensor
    } else {
      attrs["bias"] = .bool(false)
    }
    let name = c.name(for: n, index: index)
    c.values[n.output[0]] = .runtime(
      try c.add(.conv, name: name, inputs: [input], attributes: attrs, parameters: params, source: n))
  }

  /// `pads` as `[top, left, bottom, right]`, resolving `auto_pad`.
  static func explicitPads(_ n: Onnx_NodeProto, input: [Int], kernel: [Int], stride: [Int], dilation: [Int]) throws
    -> [Int]
  {
    guard kernel.count == 2, stride.count == 2, dilation.count == 2 else {
      throw n.unsupported("is supported in 2-D only (kernel \(kernel), strides \(stride))")
    }
    switch n.string("auto_pad", "NOTSET") {
    case "NOTSET":
      let pads = n.ints("pads") ?? [0, 0, 0, 0]
      guard pads.count == 4 else { throw n.unsupported("has pads \(pads); 2-D pads have 4 entries") }
      return pads
    case "VALID": return [0, 0, 0, 0]
    case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
      guard input.count == 4 else { throw n.unsupported("has auto_pad \(mode) on an input of unknown shape") }
      var begin = [0, 0], end = [0, 0]
      for i in 0..<2 {
        let extent = input[i + 2], out = (extent + stride[i] - 1) / stride[i]
        let total = max((out - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - extent, 0)
        begin[i] = mode == "SAME_UPPER" ? total / 2 : total - total / 2
        end[i] = total - begin[i]
      }
      return [begin[0], begin[1], end[0], end[1]]
    case let mode: throw n.unsupported("has auto_pad \(mode); supported: NOTSET, VALID, SAME_UPPER, SAME_LOWER")
    }
  }

  static func pool(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    let isMax = n.opType == "MaxPool"
    try n.checkAttributes(
      isMax
        ? ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"]
        : ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"])
    try n.checkOnlyFirstOutputUsed(c.readers)
    let input = try c.runtime(n.input.first ?? "", n)
    guard let kernel = n.ints("kernel_shape") else { throw n.unsupported("has no kernel_shape") }
    let stride = n.ints("strides") ?? [1, 1], dilation = n.ints("dilations") ?? [1, 1]
    guard dilation.allSatisfy({ $0 == 1 }), n.int("storage_order", 0) == 0 else {
      throw n.unsupported("is supported without dilation and with storage_order 0 only")
    }
    let pads = try explicitPads(n, input: c.shapes[input] ?? [], kernel: kernel, stride: stride, dilation: dilation)
    var attrs: [String: Attribute] = ["kernel": .ints(kernel)]
    if stride != [1, 1] { attrs["stride"] = .ints(stride) }
    if pads != [0, 0, 0, 0] { attrs["padding"] = .ints(pads) }
    if n.int("ceil_mode", 0) != 0 { attrs["ceilMode"] = .bool(true) }
    // ONNX's AveragePool excludes the padding by default, PyTorch (and Workbench) include it.
    if !isMax && n.int("count_include_pad", 0) == 0 { attrs["countIncludePad"] = .bool(false) }
    let name = c.name(for: n, index: index)
    c.values[n.output[0]] = .runtime(
      try c.add(isMax ? .maxPool : .avgPool, name: name, inputs: [input], attributes: attrs, source: n))
  }

  static func dense(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    let isGemm = n.opType == "Gemm"
    try n.checkAttributes(isGemm ? ["alpha", "beta", "transA", "transB"] : [])
    guard n.input.count >= 2 else { throw n.unsupported("needs two inputs") }
    let input = try c.runtime(n.input[0], n)
    guard c.shapes[input]?.count == 2 else {
      throw n.unsupported("is supported on [N, features] inputs only, got \(c.shapes[input] ?? [])")
    }
    guard n.int("transA", 0) == 0 else { throw n.unsupported("is supported with transA 0 only") }
    let b = try c.constant(n.input[1], n, "weight")
    guard b.shape.count == 2 else { throw n.unsupported("has a weight of shape \(b.shape); rank 2 is supported") }
    // Workbench (and PyTorch) store dense weights [out, in]: Gemm's transB 1 layout.
    var w = isGemm && n.int("transB", 0) != 0 ? b : ConstantFolding.transpose(b, [1, 0])
    let alpha = Double(n.float("alpha", 1)), beta = Double(n.float("beta", 1))
    if alpha != 1 { w.values = w.values.map { $0 * alpha } }
    var attrs: [String: Attribute] = ["outFeatures": .int(w.shape[0])]
    var params = ["weight": w.floatTensor]
    if isGemm, let bias = try c.optionalConstant(n, 2, "bias") {
      guard bias.count == w.shape[0] || bias.count == 1 else {
        throw n.unsupported("has a bias of shape \(bias.shape) for \(w.shape[0]) outputs")
      }
      let values = bias.count == 1 ? Array(repeating: bias.values[0], count: w.shape[0]) : bias.values
      params["bias"] = Tensor(shape: [w.shape[0]], scalars: values.map { Float($0 * beta) })
    } else {
      attrs["bias"] = .bool(false)
    }
    let name = c.name(for: n, index: index)
    c.values[n.output[0]] = .runtime(
      try c.add(.dense, name: name, inputs: [input], attributes: attrs, parameters: params, source: n))
  }

  /// `Add` of two computed tensors, or of a Conv/Dense output and a per-channel constant (the
  /// bias PyTorch writes after `MatMul`), which becomes that node's bias.
  static func add(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    try n.checkAttributes([])
    guard n.input.count == 2 else { throw n.unsupported("needs two inputs") }
    let (a, b) = (c.values[n.input[0]], c.values[n.input[1]])
    if case .pending(.sumSquares)? = a { return try L2Pattern.step(n, index: index, &c) }
    if case let .runtime(x)? = a, case let .runtime(y)? = b {
      let name = c.name(for: n, index: index)
      c.values[n.output[0]] = .runtime(try c.add(.add, name: name, inputs: [x, y], source: n))
      return
    }
    let (runtimeName, constantName) = {
      if case .constant? = a { return (n.input[1], n.input[0]) }
      return (n.input[0], n.input[1])
    }()
    let x = try c.runtime(runtimeName, n)
    let bias = try c.constant(constantName, n, "addend")
    guard let i = c.nodes.lastIndex(where: { $0.outputs == [x] }), [.conv, .dense].contains(c.nodes[i].op),
      c.nodes[i].attributes["bias"] == .bool(false), c.readers[runtimeName] == 1,
      !c.graphOutputs.contains(runtimeName), let shape = c.shapes[x], shape.count >= 2,
      Array(bias.shape.drop { $0 == 1 }) == [shape[1]] + Array(repeating: 1, count: shape.count - 2)
    else {
      throw n.unsupported(
        "adds a constant; this is supported only as the per-channel bias of a Conv, MatMul or Gemm without one")
    }
    c.nodes[i].attributes["bias"] = nil
    let key = Parameter.key(node: c.nodes[i].name, role: "bias")
    c.parameters[key] = Parameter(
      shape: [shape[1]], value: Tensor(shape: [shape[1]], scalars: bias.values.map { Float($0) }))
    c.values[n.output[0]] = .runtime(x)
  }
}
