/// An opaque sRGB colour with 8-bit channels, as both renderers use it.
public struct ChartColor: Equatable, Hashable, Sendable, Codable {
  /// Red, 0–255.
  public var red: UInt8
  /// Green, 0–255.
  public var green: UInt8
  /// Blue, 0–255.
  public var blue: UInt8

  /// Creates a colour from its channels.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Creates a colour from `0xRRGGBB`.
  public init(hex: UInt32) {
    self.init(
      red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
  }

  /// The CSS/SVG form, `#rrggbb`.
  public var css: String {
    let digits = Array("0123456789abcdef")
    var text = "#"
    for channel in [red, green, blue] {
      text.append(digits[Int(channel >> 4)])
      text.append(digits[Int(channel & 0xF)])
    }
    return text
  }

  /// Relative luminance in 0…1 (sRGB coefficients on gamma-encoded channels; good enough to
  /// pick black or white text on a cell).
  public var luminance: Double {
    let r: Double = 0.2126 * Double(red)
    let g: Double = 0.7152 * Double(green)
    let b: Double = 0.0722 * Double(blue)
    return (r + g + b) / 255
  }

  /// Linear interpolation towards `other` by `t` in 0…1.
  public func mixed(with other: ChartColor, _ t: Double) -> ChartColor {
    let t = min(max(t, 0), 1)
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      let from = Double(a)
      let to = Double(b)
      let value: Double = from + (to - from) * t
      return UInt8(value.rounded())
    }
    return ChartColor(
      red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
  }

  /// Black.
  public static let black = ChartColor(hex: 0x000000)
  /// White.
  public static let white = ChartColor(hex: 0xFFFFFF)
  /// Text and axis lines.
  public static let ink = ChartColor(hex: 0x222222)
  /// Secondary text (tick labels).
  public static let mutedInk = ChartColor(hex: 0x555555)
  /// Grid lines.
  public static let grid = ChartColor(hex: 0xE3E3E3)
}
