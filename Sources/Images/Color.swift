/// An 8-bit RGB colour for drawing; gray images use its luma (ITU-R BT.601 weights).
public struct Color: Equatable, Hashable, Sendable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  /// Creates a colour from its red, green and blue components.
  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// A gray level.
  public init(gray: UInt8) { self.init(gray, gray, gray) }

  /// The BT.601 luma, rounded: what a gray image stores for this colour.
  public var luma: UInt8 {
    let r: Int = 299 * Int(red), g: Int = 587 * Int(green), b: Int = 114 * Int(blue)
    return UInt8((r + g + b + 500) / 1000)
  }

  /// The components written into a pixel with `channels` channels (alpha, if any, is 255).
  public func samples(channels: Int) -> [UInt8] {
    switch channels {
    case 1: return [luma]
    case 2: return [luma, 255]
    case 3: return [red, green, blue]
    default: return [red, green, blue, 255]
    }
  }

  public static let black = Color(0, 0, 0)
  public static let white = Color(255, 255, 255)
  public static let red = Color(230, 40, 40)
  public static let green = Color(40, 200, 60)
  public static let blue = Color(40, 90, 230)
  public static let yellow = Color(240, 220, 30)

  /// A fixed palette of distinct colours, e.g. one per class in previews.
  public static let palette: [Color] = [
    .red, .green, .blue, .yellow, Color(230, 120, 20), Color(160, 60, 220), Color(20, 200, 210),
    Color(230, 60, 160), Color(130, 200, 40), Color(120, 120, 120),
  ]
}
