import Tensors

/// Attribute conventions shared by the spatial ops: `kernel`, `stride` and `dilation` are
/// `[height, width]`; `padding` is `[top, left, bottom, right]` (ONNX's begin-then-end order).
extension Node {
  /// The convolution geometry of a Conv node.
  public var convParameters: Conv2DParameters {
    let s = ints("stride"), p = ints("padding"), d = ints("dilation")
    return Conv2DParameters(
      strideH: s[0], strideW: s[1], padTop: p[0], padBottom: p[2], padLeft: p[1], padRight: p[3],
      dilationH: d[0], dilationW: d[1], groups: int("groups"))
  }

  /// The pooling geometry of a MaxPool or AvgPool node.
  public var poolParameters: Pool2DParameters {
    let k = ints("kernel"), s = ints("stride"), p = ints("padding")
    return Pool2DParameters(
      kernelH: k[0], kernelW: k[1], strideH: s[0], strideW: s[1], padTop: p[0], padBottom: p[2],
      padLeft: p[1], padRight: p[3], ceilMode: bool("ceilMode"),
      countIncludePad: attribute("countIncludePad")?.boolValue ?? true)
  }
}

/// Checks used by shape inference, each throwing an ``OpShapeError`` sentence.
enum ShapeCheck {
  static func rank(_ shape: [Int], _ rank: Int, _ what: String = "input") throws {
    guard shape.count == rank else {
      throw OpShapeError("\(what) must have rank \(rank), got shape \(shape)")
    }
  }

  static func pairs(_ node: Node, _ names: [String], count: Int = 2, positive: Bool = true) throws {
    for name in names {
      let v = node.ints(name)
      guard v.count == count else {
        throw OpShapeError("attribute '\(name)' must have \(count) entries, got \(v)")
      }
      guard v.allSatisfy({ positive ? $0 > 0 : $0 >= 0 }) else {
        throw OpShapeError("attribute '\(name)' must be \(positive ? "positive" : "non-negative"), got \(v)")
      }
    }
  }

  static func positive(_ node: Node, _ name: String) throws {
    guard node.int(name) > 0 else {
      throw OpShapeError("attribute '\(name)' must be positive, got \(node.int(name))")
    }
  }
}

/// Common attribute specs.
enum CommonAttributes {
  static let stride = OpSchema.AttributeSpec(
    "stride", "ints", default: .ints([1, 1]), "Step between windows, [height, width].")
  static let padding = OpSchema.AttributeSpec(
    "padding", "ints", default: .ints([0, 0, 0, 0]), "Zero padding, [top, left, bottom, right].")
}
