import Geometry

/// A graph output: a value, what it means, and what decoders and losses need to read it.
///
/// A YOLO head (Redmon & Farhadi, "YOLO9000" and "YOLOv3") is just its final convolution,
/// `[N, A·(5 + C), H, W]`; its anchors (pixels of the network input), class count and stride are
/// kept here so that box decoding and the YOLO loss read them from the graph.
public struct OutputInfo: Codable, Equatable, Sendable {
  /// What an output is used for.
  public enum Role: String, Codable, Sendable, CaseIterable {
    /// A plain tensor.
    case tensor
    /// Class logits `[N, classes]` (or `[N, classes, 1, 1]`).
    case logits
    /// An embedding for verification (e.g. the 512-d face descriptor).
    case descriptor
    /// A YOLO detection head `[N, A·(5 + C), H, W]`.
    case yolo
  }

  /// The name of the output value.
  public var name: String
  /// The output's shape (batch axis first).
  public var shape: [Int]
  /// What the output is.
  public var role: Role
  /// For YOLO heads: anchor sizes in pixels of the network input (``Geometry/Anchor``, written
  /// `[width, height]` in JSON as before).
  public var anchors: [Anchor]?
  /// For YOLO heads and logits: the number of classes.
  public var numClasses: Int?
  /// For YOLO heads: input pixels per grid cell.
  public var stride: Int?

  /// Creates an output description.
  public init(
    name: String, shape: [Int], role: Role = .tensor, anchors: [Anchor]? = nil,
    numClasses: Int? = nil, stride: Int? = nil
  ) {
    self.name = name
    self.shape = shape
    self.role = role
    self.anchors = anchors
    self.numClasses = numClasses
    self.stride = stride
  }
}
