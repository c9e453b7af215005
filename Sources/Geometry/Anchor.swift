/// A YOLO anchor: a prior box size, in pixels of the network input (a decoder may declare grid
/// cells instead, as Darknet v2 cfg files do; see Metrics' `YOLOHead.AnchorUnit`).
///
/// The one anchor type (architecture issue #12, item 5): the graph IR records it on YOLO outputs
/// (``Graph/OutputInfo``), the YOLO loss assigns objects with it and ``YOLODecoding`` scales
/// predicted sizes by it. It keeps the `Double` the model definition was written in, so that
/// `model.json` round-trips exactly; Float consumers convert once with ``floatWidth`` /
/// ``floatHeight`` (the same `Float(_:)` conversion they did before this type existed).
///
/// JSON form: `[width, height]`, the form model definitions and `model.json` always used.
public struct Anchor: Equatable, Hashable, Sendable {
  /// Width in pixels of the network input.
  public var width: Double
  /// Height in pixels of the network input.
  public var height: Double

  /// Creates an anchor from its size in input pixels.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// ``width`` as the Float the loss and decoders compute in.
  public var floatWidth: Float { Float(width) }
  /// ``height`` as the Float the loss and decoders compute in.
  public var floatHeight: Float { Float(height) }
}

extension Anchor: Codable {
  /// Reads `[width, height]`.
  public init(from decoder: Decoder) throws {
    var c = try decoder.unkeyedContainer()
    let width = try c.decode(Double.self), height = try c.decode(Double.self)
    guard c.isAtEnd else {
      throw DecodingError.dataCorruptedError(
        in: c, debugDescription: "an anchor is [width, height]: two numbers, found more")
    }
    self.init(width: width, height: height)
  }

  /// Writes `[width, height]`.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.unkeyedContainer()
    try c.encode(width)
    try c.encode(height)
  }
}

extension Anchor: ExpressibleByArrayLiteral {
  /// `[width, height]`, as anchors are written in model definitions and tests.
  public init(arrayLiteral elements: Double...) {
    precondition(elements.count == 2, "an anchor literal is [width, height], got \(elements.count) numbers")
    self.init(width: elements[0], height: elements[1])
  }
}
