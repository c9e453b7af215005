/// Colour-blind-safe colours for series and a sequential scale for heat maps.
///
/// Series use the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), which stays
/// distinguishable under the common colour-vision deficiencies; yellow is left out because it
/// is too light on white. More than seven series also vary the dash pattern (see
/// ``Palette/dash(_:)``). Heat maps use a single-hue light-to-dark blue ramp, which orders
/// values by lightness alone and so reads the same for every viewer.
public enum Palette {
  /// Okabe–Ito without yellow: blue, vermillion, bluish green, orange, reddish purple, sky blue,
  /// black.
  public static let okabeIto: [ChartColor] = [
    ChartColor(hex: 0x0072B2), ChartColor(hex: 0xD55E00), ChartColor(hex: 0x009E73),
    ChartColor(hex: 0xE69F00), ChartColor(hex: 0xCC79A7), ChartColor(hex: 0x56B4E9),
    ChartColor(hex: 0x000000),
  ]

  /// The colour of series `index` (cycling through ``okabeIto``).
  public static func color(_ index: Int) -> ChartColor {
    okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
  }

  /// The dash pattern of series `index`: solid for the first cycle of colours, then dashed,
  /// then dotted, so that series sharing a colour still differ.
  public static func dash(_ index: Int) -> [Double] {
    switch (max(index, 0) / okabeIto.count) % 3 {
    case 0: return []
    case 1: return [6, 3]
    default: return [2, 2]
    }
  }

  /// The sequential heat-map colour of `t` in 0…1 (white-ish at 0, dark blue at 1).
  public static func sequential(_ t: Double) -> ChartColor {
    let stops = [
      ChartColor(hex: 0xF7FBFF), ChartColor(hex: 0xC6DBEF), ChartColor(hex: 0x6BAED6),
      ChartColor(hex: 0x2171B5), ChartColor(hex: 0x08306B),
    ]
    let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
    let i = min(Int(x), stops.count - 2)
    return stops[i].mixed(with: stops[i + 1], x - Double(i))
  }
}
