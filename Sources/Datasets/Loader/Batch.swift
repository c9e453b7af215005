import Geometry
import Tensors

/// One batch from a ``DataLoader``: images as a Float32 NCHW tensor plus the annotations of the
/// same images (boxes already moved by any augmentation).
public struct Batch: Sendable {
  /// `[N, C, H, W]`, normalised as configured.
  public var images: Tensor<Float>
  /// The images' indices in their split.
  public var indices: [Int]
  /// Class labels (classification datasets), else empty.
  public var labels: [Int]
  /// Identity indices (identity datasets), else empty.
  public var identities: [Int]
  /// Boxes per image (detection datasets), else empty.
  public var boxes: [[Box]]

  /// Number of images.
  public var count: Int { indices.count }
}
