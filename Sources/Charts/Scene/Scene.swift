import Foundation

/// A laid-out drawing in pixel coordinates (origin top left, y down): what renderers draw.
///
/// Charts become scenes through ``ChartLayout``; other diagrams (e.g. a model graph) can build
/// scenes directly and use the same SVG and PNG renderers.
public struct Scene: Sendable {
  /// Width in CSS pixels.
  public var width: Double
  /// Height in CSS pixels.
  public var height: Double
  /// The background fill.
  public var background: ChartColor
  /// Items in drawing order (later items on top).
  public var items: [SceneItem]
  /// A text alternative for accessibility (the SVG `<title>` and `aria-label`).
  public var title: String

  /// Creates an empty scene.
  public init(width: Double, height: Double, title: String, background: ChartColor = .white) {
    self.width = width
    self.height = height
    self.title = title
    self.background = background
    self.items = []
  }

  /// Appends an item.
  public mutating func add(_ item: SceneItem) { items.append(item) }
}

/// A point in scene coordinates.
public struct Point: Equatable, Sendable {
  /// Horizontal position, from the left.
  public var x: Double
  /// Vertical position, from the top.
  public var y: Double

  /// Creates a point.
  public init(_ x: Double, _ y: Double) {
    self.x = x
    self.y = y
  }
}

/// A rectangle in scene coordinates.
public struct Rect: Equatable, Sendable {
  /// Left edge.
  public var x: Double
  /// Top edge.
  public var y: Double
  /// Width.
  public var width: Double
  /// Height.
  public var height: Double

  /// Creates a rectangle.
  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
}
