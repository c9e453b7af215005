import Foundation
import Graph

/// Resize/Upsample as nearest upsampling by an integer factor, and Pad as a pending padding
/// for the next Conv.
extension ImportOps {
  static func resize(_ n: Onnx_NodeProto, index: Int, _ c: inout ImportContext) throws {
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

  static func pad(_ n: Onnx_NodeProto, _ c: inout ImportContext) throws {
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
