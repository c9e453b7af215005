import Foundation

/// Stroke skeletons of the digits 0–9 as polylines in a unit box (x right, y down, both in
/// 0...1), drawn by ``DigitsGenerator`` with a random stroke width under a random affine map.
/// Curves are elliptical arcs sampled every 15°; angles are in degrees with y pointing down, so
/// −90° is the top of an arc and 90° its bottom.
enum DigitGlyphs {
  typealias Point = (x: Double, y: Double)

  /// The polylines of `digit` (0...9).
  static func strokes(_ digit: Int) -> [[Point]] { table[digit] }

  private static let table: [[[Point]]] = [
    // 0: an upright ellipse
    [arc(0.5, 0.5, 0.3, 0.42, from: 0, to: 360)],
    // 1: a stem with a flag
    [[(0.33, 0.24), (0.52, 0.08), (0.52, 0.92)]],
    // 2: a hook over the top, a diagonal to the bottom left, a base
    [arc(0.5, 0.32, 0.28, 0.24, from: 190, to: 390) + [(0.2, 0.92), (0.82, 0.92)]],
    // 3: two bowls open to the left
    [arc(0.48, 0.29, 0.26, 0.21, from: 200, to: 450), arc(0.48, 0.71, 0.3, 0.21, from: 270, to: 520)],
    // 4: an open triangle and a stem
    [[(0.66, 0.92), (0.66, 0.08), (0.15, 0.66), (0.86, 0.66)]],
    // 5: a top bar, a short stem and a bowl open to the left
    [[(0.78, 0.08), (0.28, 0.08), (0.25, 0.47)] + arc(0.5, 0.66, 0.29, 0.26, from: 215, to: 520)],
    // 6: a sweep from the top right down the left side into a closed bottom loop
    [arc(0.56, 0.55, 0.34, 0.47, from: 300, to: 170), arc(0.5, 0.69, 0.27, 0.23, from: 0, to: 360)],
    // 7: a top bar and a diagonal
    [[(0.18, 0.08), (0.82, 0.08), (0.42, 0.92)]],
    // 8: two stacked loops
    [arc(0.5, 0.29, 0.23, 0.21, from: 0, to: 360), arc(0.5, 0.71, 0.28, 0.21, from: 0, to: 360)],
    // 9: a top loop and a stem down its right side
    [arc(0.48, 0.32, 0.27, 0.24, from: 0, to: 360), [(0.75, 0.32), (0.7, 0.92)]],
  ]

  /// Points on the ellipse (centre `cx, cy`, radii `rx, ry`) from angle `from` to `to` (either
  /// direction), every 15° or closer so both ends are included.
  static func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, from: Double, to: Double) -> [Point] {
    let steps = max(1, Int((abs(to - from) / 15).rounded(.up)))
    return (0...steps).map { i in
      let a = (from + (to - from) * Double(i) / Double(steps)) * Double.pi / 180
      return (cx + rx * cos(a), cy + ry * sin(a))
    }
  }
}
