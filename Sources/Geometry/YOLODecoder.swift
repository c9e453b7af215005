#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one YOLO box decoder (architecture issue #12, item 5): how a head's raw outputs
/// `tx, ty, tw, th` at grid cell `(gx, gy)` with anchor `a` become a box (Redmon & Farhadi,
/// "YOLO9000" §2, "Direct location prediction", and "YOLOv3" §2.1):
///
///     centre = (σ(t_xy) + cell) / grid            (fraction of the image)
///     size   = anchor · e^(t_wh) / input size     (fraction of the image)
///
/// or, in pixels of the network input, `centre = (σ(t_xy) + cell) · stride` and
/// `size = anchor · e^(t_wh)` (anchors in grid cells are first multiplied by the stride).
///
/// Users: Metrics' `YOLOHead` (evaluation, ``pixelBox(tx:ty:tw:th:anchor:gx:gy:anchorScale:)``),
/// the YOLO loss's ignore mask (``normalisedBox(tx:ty:tw:th:anchor:gx:gy:)``) and its box term,
/// which runs the same formula on autograd variables with the factors ``inverseGrid`` and
/// ``anchorFraction(_:)``. It lives in Geometry because Training and Metrics both need it and
/// neither depends on the other.
///
/// Each entry point keeps the exact Float operations (order and rounding) its caller used before
/// the decoder was shared, so trained weights and evaluation numbers are bit-identical. The two
/// callers historically differ in the logistic's rounding (``Logistic``) and in dividing by the
/// grid (ignore mask) versus multiplying by its reciprocal (box term); unifying those would
/// change results in the last bit and is left to a deliberate numerics change.
public struct YOLODecoder: Sendable {
  /// Which rounding of the logistic σ(x) = 1 / (1 + e^−x).
  public enum Logistic: Sendable {
    /// `x ≥ 0 ? 1 / (1 + e^−x) : e^x / (1 + e^x)`, overflow-safe; the same operations as
    /// `Tensor.sigmoid`, which the loss uses.
    case stable
    /// `1 / (1 + e^−x)` for every x, as the evaluator decodes.
    case direct
  }

  /// The head's anchors, in pixels of the network input.
  public var anchors: [Anchor]
  /// Grid size (columns, rows) of the head.
  public var gridWidth: Int, gridHeight: Int
  /// Network input size in pixels.
  public var inputWidth: Int, inputHeight: Int
  /// The logistic's rounding.
  public var logistic: Logistic

  /// Creates a decoder for a `gridHeight × gridWidth` head with `anchors` on an input of the given size.
  public init(anchors: [Anchor], gridWidth: Int, gridHeight: Int, inputWidth: Int, inputHeight: Int, logistic: Logistic)
  {
    self.anchors = anchors
    (self.gridWidth, self.gridHeight) = (gridWidth, gridHeight)
    (self.inputWidth, self.inputHeight) = (inputWidth, inputHeight)
    self.logistic = logistic
  }

  /// σ(x) in this decoder's rounding.
  @inlinable
  public func sigmoid(_ x: Float) -> Float {
    switch logistic {
    case .stable:
      if x >= 0 { return 1 / (1 + expf(-x)) }
      let e = expf(x)
      return e / (1 + e)
    case .direct:
      return 1 / (1 + expf(-x))
    }
  }

  /// The box of one prediction as fractions of the image (class index 0): centre
  /// `(σ(t) + cell) / grid`, size `anchor · e^t / input`.
  @inlinable
  public func normalisedBox(tx: Float, ty: Float, tw: Float, th: Float, anchor a: Int, gx: Int, gy: Int) -> Box {
    Box(
      classIndex: 0,
      cx: (sigmoid(tx) + Float(gx)) / Float(gridWidth), cy: (sigmoid(ty) + Float(gy)) / Float(gridHeight),
      w: anchors[a].floatWidth * expf(tw) / Float(inputWidth), h: anchors[a].floatHeight * expf(th) / Float(inputHeight)
    )
  }

  /// The box of one prediction in pixels of the network input, as centre and size: centre
  /// `(σ(t) + cell) · stride`, size `(anchor · anchorScale) · e^t`, where `anchorScale` is 1 for
  /// anchors in pixels and the stride for anchors in grid cells.
  @inlinable
  public func pixelBox(
    tx: Float, ty: Float, tw: Float, th: Float, anchor a: Int, gx: Int, gy: Int,
    anchorScale: (x: Float, y: Float)
  ) -> (x: Float, y: Float, w: Float, h: Float) {
    let stride = self.stride
    return (
      (sigmoid(tx) + Float(gx)) * stride.x, (sigmoid(ty) + Float(gy)) * stride.y,
      anchors[a].floatWidth * anchorScale.x * expf(tw), anchors[a].floatHeight * anchorScale.y * expf(th)
    )
  }

  /// Input pixels per grid cell, `input / grid` per axis.
  @inlinable
  public var stride: (x: Float, y: Float) {
    (Float(inputWidth) / Float(gridWidth), Float(inputHeight) / Float(gridHeight))
  }

  /// `(1 / gridWidth, 1 / gridHeight)`: the factor that turns `σ(t) + cell` into a fraction of
  /// the image in the vectorised form of the decoding (the loss's box term).
  public var inverseGrid: (x: Float, y: Float) { (1 / Float(gridWidth), 1 / Float(gridHeight)) }

  /// `anchor / input` per axis: the factor that turns `e^t` into a fraction of the image in the
  /// vectorised form of the decoding (the loss's box term).
  public func anchorFraction(_ a: Int) -> (x: Float, y: Float) {
    (anchors[a].floatWidth / Float(inputWidth), anchors[a].floatHeight / Float(inputHeight))
  }
}
