/// Geometry of a 2-D convolution in NCHW layout: stride, (possibly asymmetric) zero padding,
/// dilation and groups. The weight layout is PyTorch's OIHW: [outC, inC / groups, kH, kW].
public struct Conv2DParameters: Hashable, Codable, Sendable {
  public var strideH = 1, strideW = 1
  public var padTop = 0, padBottom = 0, padLeft = 0, padRight = 0
  public var dilationH = 1, dilationW = 1
  public var groups = 1

  public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
    self.init(
      strideH: stride, strideW: stride, padTop: padding, padBottom: padding,
      padLeft: padding, padRight: padding, dilationH: dilation, dilationW: dilation, groups: groups)
  }

  public init(
    strideH: Int, strideW: Int, padTop: Int, padBottom: Int, padLeft: Int, padRight: Int,
    dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1
  ) {
    precondition(
      strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0 && groups > 0,
      "Conv2DParameters: stride, dilation and groups must be positive")
    precondition(min(padTop, padBottom, padLeft, padRight) >= 0, "Conv2DParameters: negative padding")
    self.strideH = strideH; self.strideW = strideW
    self.padTop = padTop; self.padBottom = padBottom; self.padLeft = padLeft; self.padRight = padRight
    self.dilationH = dilationH; self.dilationW = dilationW; self.groups = groups
  }

  /// Output height and width for an input of `h`×`w` and a `kh`×`kw` kernel.
  public func outputSize(h: Int, w: Int, kh: Int, kw: Int) -> (h: Int, w: Int) {
    (
      (h + padTop + padBottom - dilationH * (kh - 1) - 1) / strideH + 1,
      (w + padLeft + padRight - dilationW * (kw - 1) - 1) / strideW + 1
    )
  }

  /// True when the convolution is a plain matrix product per image (1×1, stride 1, no padding).
  func isPointwise(kh: Int, kw: Int) -> Bool {
    kh == 1 && kw == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padBottom == 0 && padLeft == 0 && padRight == 0
  }
}
