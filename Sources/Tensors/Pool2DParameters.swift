/// Geometry of 2-D max/average pooling in NCHW, with PyTorch's conventions for ceil mode
/// (a last window that would start in the right/bottom padding is dropped) and for the
/// average divisor (`countIncludePad`).
public struct Pool2DParameters: Hashable, Codable, Sendable {
  public var kernelH: Int, kernelW: Int
  public var strideH: Int, strideW: Int
  public var padTop = 0, padBottom = 0, padLeft = 0, padRight = 0
  public var ceilMode = false
  /// For average pooling: divide by the window size including padding (PyTorch's default).
  public var countIncludePad = true

  public init(kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
    self.init(
      kernelH: kernel, kernelW: kernel, strideH: stride ?? kernel, strideW: stride ?? kernel,
      padTop: padding, padBottom: padding, padLeft: padding, padRight: padding,
      ceilMode: ceilMode, countIncludePad: countIncludePad)
  }

  public init(
    kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, padTop: Int = 0, padBottom: Int = 0,
    padLeft: Int = 0, padRight: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true
  ) {
    precondition(
      kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0, "Pool2DParameters: kernel and stride must be positive")
    precondition(min(padTop, padBottom, padLeft, padRight) >= 0, "Pool2DParameters: negative padding")
    self.kernelH = kernelH; self.kernelW = kernelW; self.strideH = strideH; self.strideW = strideW
    self.padTop = padTop; self.padBottom = padBottom; self.padLeft = padLeft; self.padRight = padRight
    self.ceilMode = ceilMode; self.countIncludePad = countIncludePad
  }

  static func extent(_ n: Int, _ k: Int, _ s: Int, _ p0: Int, _ p1: Int, ceil: Bool) -> Int {
    let span = n + p0 + p1 - k
    var out = (ceil ? (span + s - 1) / s : span / s) + 1
    if ceil && (out - 1) * s >= n + p0 { out -= 1 }
    return out
  }

  /// Output height and width for an `h`×`w` input.
  public func outputSize(h: Int, w: Int) -> (h: Int, w: Int) {
    (
      Self.extent(h, kernelH, strideH, padTop, padBottom, ceil: ceilMode),
      Self.extent(w, kernelW, strideW, padLeft, padRight, ceil: ceilMode)
    )
  }
}
