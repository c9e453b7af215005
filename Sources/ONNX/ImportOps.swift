import Foundation
import Graph
import Tensors

/// Translation of the ONNX ops that compute at run time into Workbench nodes.
enum ImportOps {
  /// The ops with a Workbench counterpart (besides the shape arithmetic ``ConstantFolding``
  /// evaluates), as listed in errors.
  static let supported = [
    "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "MaxPool", "AveragePool",
    "GlobalAveragePool", "Gemm", "MatMul", "Add", "Concat", "Flatten", "Reshape", "Resize", "Upsample",
    "Identity", "Dropout", "Pad", "LpNormalization",
    "Mul, ReduceSum, Sqrt and Div or ReduceL2, Clip, Expand and Div (as an L2 normalization)",
  ]

  static var supportedList: String {
    supported.joined(separator: ", ") + "; at import time also "
      + ConstantFolding.foldable.sorted().joined(separator: ", ")
  }

  /// Translates one runtime node, updating `c.values` for its outputs.
  static func translate(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    guard n.domain.isEmpty || n.domain == "ai.onnx" else {
      throw ONNXImportError.unsupportedOp(node: n.name, op: "\(n.domain).\(n.opType)", supported: supportedList)
    }
    guard let out = n.output.first else { throw n.unsupported("has no output") }
    func emit(
      _ op: OpKind, _ inputs: [String], _ attributes: [String: Attribute] = [:], _ params: [String: Tensor<Float>] = [:]
    )
      throws
    {
      let name = c.name(for: n, index: index)
      c.values[out] = .runtime(
        try c.add(op, name: name, inputs: inputs, attributes: attributes, parameters: params, source: n))
    }
    func x() throws -> String { try c.runtime(n.input.first ?? "", n) }
    switch n.opType {
    case "Conv": try conv(n, index: index, &c)
    case "BatchNormalization":
      try n.checkAttributes(["epsilon", "momentum", "training_mode", "spatial"])
      guard n.int("training_mode", 0) == 0, n.int("spatial", 1) == 1 else {
        throw n.unsupported("is supported in inference mode (training_mode 0, spatial 1) only")
      }
      try n.checkOnlyFirstOutputUsed(c.readers)
      guard n.input.count == 5 else { throw n.unsupported("needs 5 inputs (X, scale, B, mean, var)") }
      var params: [String: Tensor<Float>] = [:]
      for (i, role) in ["weight", "bias", "running_mean", "running_var"].enumerated() {
        params[role] = try c.constant(n.input[i + 1], n, "BatchNorm \(role)").floatTensor
      }
      var attrs: [String: Attribute] = [:]
      let eps = DecimalAttribute.value(n.float("epsilon", 1e-5))
      if eps != 1e-5 { attrs["epsilon"] = .float(eps) }
      let momentum = DecimalAttribute.complement(n.float("momentum", 0.9))
      if momentum != 0.1 { attrs["momentum"] = .float(momentum) }
      try emit(.batchNorm, [try x()], attrs, params)
    case "Relu":
      try n.checkAttributes([])
      try emit(.relu, [try x()])
    case "Sigmoid":
      try n.checkAttributes([])
      try emit(.sigmoid, [try x()])
    case "Tanh":
      try n.checkAttributes([])
      try emit(.tanh, [try x()])
    case "LeakyRelu":
      try n.checkAttributes(["alpha"])
      let alpha = DecimalAttribute.value(n.float("alpha", 0.01))
      try emit(.leakyRelu, [try x()], alpha == 0.1 ? [:] : ["alpha": .float(alpha)])
    case "Clip":
      try n.checkAttributes(["min", "max"])
      if case .pending? = c.values[n.input.first ?? ""] { return try L2Pattern.step(n, index: index, &c) }
      let low = try c.optionalConstant(n, 1, "minimum")?.values.first ?? n.attr("min").map { Double($0.f) }
      let high = try c.optionalConstant(n, 2, "maximum")?.values.first ?? n.attr("max").map { Double($0.f) }
      guard low == 0 else {
        throw n.unsupported("is supported only with minimum 0 (ReLU or ReLU6), got \(low.map { "\($0)" } ?? "none")")
      }
      if high == nil || high == .infinity || high == Double(Float.greatestFiniteMagnitude) {
        try emit(.relu, [try x()])
      } else if high == 6 {
        try emit(.relu6, [try x()])
      } else {
        throw n.unsupported("is supported only as ReLU (min 0) or ReLU6 (min 0, max 6), got max \(high ?? 0)")
      }
    case "MaxPool", "AveragePool": try pool(n, index: index, &c)
    case "GlobalAveragePool":
      try n.checkAttributes([])
      try emit(.globalAvgPool, [try x()])
    case "Gemm", "MatMul": try dense(n, index: index, &c)
    case "Add": try add(n, index: index, &c)
    case "Concat":
      try n.checkAttributes(["axis"])
      let inputs = try n.input.map { try c.runtime($0, n) }
      let rank = c.shapes[inputs[0]]?.count ?? 4
      let axis = ConstantFolding.normalize(n.int("axis", 1), rank)
      guard axis >= 1 else { throw n.unsupported("joins the batch axis, which is not supported (axis 1 and above)") }
      try emit(.concat, inputs, axis == 1 ? [:] : ["axis": .int(axis)])
    case "Flatten":
      try n.checkAttributes(["axis"])
      let input = try x()
      let rank = c.shapes[input]?.count ?? 4
      guard ConstantFolding.normalize(n.int("axis", 1), rank) == 1 else {
        throw n.unsupported("is supported with axis 1 only (keep the batch axis), got \(n.int("axis", 1))")
      }
      try emit(.flatten, [input])
    case "Reshape":
      try n.checkAttributes(["allowzero"])
      let input = try x()
      guard n.input.count > 1 else { throw n.unsupported("needs a shape input") }
      let shape = c.shapes[input] ?? []
      let target = try ReshapeRule.outputShape(n, input: shape, target: try c.constant(n.input[1], n, "shape").ints)
      guard target.first == shape.first else {
        throw n.unsupported("changes the batch axis (\(shape) to \(target)); only per-sample reshapes are supported")
      }
      if target == shape {
        c.values[out] = .runtime(input)
      } else if target.count == 2 {
        try emit(.flatten, [input])
      } else {
        try emit(.reshape, [input], ["shape": .ints(Array(target.dropFirst()))])
      }
    case "Resize", "Upsample": try resize(n, index: index, &c)
    case "Identity":
      c.values[out] = c.values[n.input.first ?? ""]
    case "Dropout":
      try n.checkAttributes(["ratio", "seed", "is_test"])
      try n.checkOnlyFirstOutputUsed(c.readers)
      if let training = try c.optionalConstant(n, 2, "training mode"), training.values.first != 0 {
        throw n.unsupported("is in training mode; only inference (training_mode false) is supported")
      }
      c.values[out] = .runtime(try x())
    case "Pad": try pad(n, &c)
    case "LpNormalization":
      try n.checkAttributes(["axis", "p"])
      let input = try x()
      let rank = c.shapes[input]?.count ?? 2
      guard n.int("p", 2) == 2, ConstantFolding.normalize(n.int("axis", -1), rank) == 1 else {
        throw n.unsupported("is supported with p 2 over axis 1 (channels) only")
      }
      try emit(.l2Normalize, [input], ["epsilon": .float(0)])
    case "Mul", "ReduceSum", "Sqrt", "Div", "ReduceL2", "Expand": try L2Pattern.step(n, index: index, &c)
    default:
      throw ONNXImportError.unsupportedOp(node: n.name, op: n.opType, supported: supportedList)
    }
  }

  private static func conv(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
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

  private static func pool(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
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

  private static func dense(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
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
  private static func add(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
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

  private static func resize(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
    let isUpsample = n.opType == "Upsample"
    try n.checkAttributes(
      isUpsample
        ? ["mode", "scales"]
        : [
          "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
          "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy",
        ])
    let input = try c.runtime(n.input.first ?? "", n)
    guard let shape = c.shapes[input], shape.count == 4 else { throw n.unsupported("is supported on NCHW inputs only") }
    guard n.string("mode", "nearest") == "nearest" else {
      throw n.unsupported("has mode \(n.string("mode", "nearest")); only nearest is supported")
    }
    guard n.int("antialias", 0) == 0, n.int("exclude_outside", 0) == 0, n.attr("axes") == nil else {
      throw n.unsupported("is supported without antialias, exclude_outside and axes")
    }
    var scales: [Double]? = n.attr("scales").map { $0.floats.map(Double.init) }
    var sizes: [Int]?
    let scalesIndex = isUpsample || c.opset < 11 ? 1 : 2
    if let s = try c.optionalConstant(n, scalesIndex, "scales"), s.count > 0 { scales = s.values }
    if !isUpsample, let s = try c.optionalConstant(n, 3, "sizes"), s.count > 0 { sizes = s.ints }
    let factors: [Double]
    if let sizes, sizes.count == 4 {
      factors = (0..<4).map { Double(sizes[$0]) / Double(shape[$0]) }
    } else if let scales, scales.count == 4 {
      factors = scales
    } else {
      throw n.unsupported("needs constant scales or sizes for the 4 axes")
    }
    let f = factors[2]
    guard factors[0] == 1, factors[1] == 1, factors[3] == f, f >= 1, f <= 64, f == f.rounded() else {
      throw n.unsupported("scales \(factors); only the same integer factor on height and width is supported")
    }
    if !isUpsample {
      // For an integer factor, these coordinate rules all pick source pixel floor(x / f).
      let transform = n.string("coordinate_transformation_mode", "half_pixel")
      let nearest = n.string("nearest_mode", "round_prefer_floor")
      let exact: Bool
      switch transform {
      case "asymmetric", "tf_half_pixel_for_nn": exact = nearest == "floor"
      case "half_pixel", "pytorch_half_pixel": exact = nearest.hasPrefix("round_prefer")
      default: exact = false
      }
      guard exact || f == 1 else {
        throw n.unsupported(
          "has coordinate_transformation_mode \(transform) with nearest_mode \(nearest), which is not an exact repeat; supported: asymmetric or tf_half_pixel_for_nn with floor, half_pixel or pytorch_half_pixel with round_prefer_floor/ceil"
        )
      }
    }
    if f == 1 {
      c.values[n.output[0]] = .runtime(input)
      return
    }
    let name = c.name(for: n, index: index)
    let attrs: [String: Attribute] = f == 2 ? [:] : ["factor": .int(Int(f))]
    c.values[n.output[0]] = .runtime(try c.add(.upsample, name: name, inputs: [input], attributes: attrs, source: n))
  }

  private static func pad(_ n: Onnx_NodeProto, _ c: inout ImportContext) throws {
    try n.checkAttributes(["mode", "pads", "value"])
    let input = try c.runtime(n.input.first ?? "", n)
    guard n.string("mode", "constant") == "constant" else {
      throw n.unsupported(
        "has mode \(n.string("mode", "constant")); only zero (constant) padding before a Conv is supported")
    }
    let value = try c.optionalConstant(n, 2, "pad value")?.values.first ?? Double(n.float("value", 0))
    guard value == 0 else { throw n.unsupported("pads with \(value); only zero padding is supported") }
    var pads = try c.optionalConstant(n, 1, "pads")?.ints ?? n.ints("pads") ?? []
    let rank = c.shapes[input]?.count ?? 4
    if let axes = try c.optionalConstant(n, 3, "axes")?.ints {
      guard pads.count == 2 * axes.count, axes.allSatisfy({ (-rank..<rank).contains($0) }) else {
        throw n.unsupported("has \(pads.count) pads for axes \(axes)")
      }
      var full = [Int](repeating: 0, count: 2 * rank)
      for (k, a) in axes.enumerated() {
        let axis = ConstantFolding.normalize(a, rank)
        full[axis] = pads[k]
        full[axis + rank] = pads[k + axes.count]
      }
      pads = full
    }
    guard rank == 4, pads.count == 8, pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0,
      pads.allSatisfy({ $0 >= 0 })
    else { throw n.unsupported("pads \(pads); only non-negative padding of height and width (NCHW) is supported") }
    c.values[n.output[0]] = .pending(.pad(source: input, padding: [pads[2], pads[3], pads[6], pads[7]], node: n.name))
  }
}
