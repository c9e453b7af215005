import Foundation
import Images
import Tensors

/// Generates the built-in `digits` classification dataset: the digits 0–9 drawn as anti-aliased
/// strokes (``DigitGlyphs``) under a random scale, aspect, rotation, shear and shift, with a
/// random stroke width and colour, on the textured backgrounds of the `shapes` set, among
/// distractor strokes, with Gaussian noise. Labels are balanced within each split.
///
/// Image `index` of a split is drawn from the stream `seed → "digits" → split → index` and its
/// label is `permutation[index] mod 10` with the permutation from `seed → "digits" → "labels" →
/// split`, so an image depends only on the seed, its split and its index: the same settings
/// always give a byte-identical file and content hash.
public struct DigitsGenerator: Sendable {
  public let config: DigitsConfig

  /// Creates a generator with the given settings.
  /// The stream every image derives from: `random → "digits"`.
  let root: RandomStream

  /// Creates a generator with the given settings.
  /// - Parameter random: the stream to draw from; by default the root stream of `config.seed`
  ///   (what `workbench data generate --seed` uses). An experiment passes its data stage's
  ///   stream, so the data come from the run's one seed tree.
  public init(_ config: DigitsConfig = DigitsConfig(), random: RandomStream? = nil) {
    self.config = config
    self.root = (random ?? RandomStream(seed: config.seed)).split("digits")
  }

  /// Writes the dataset (train, val and test splits with nonzero counts) to `path`, atomically.
  /// - Returns: the `content_hash`.
  @discardableResult
  public func write(to path: String) throws -> String {
    try config.validate()
    let writer = try DatasetWriter(
      path: path, kind: .classification, classNames: DigitsConfig.classNames, source: config.sourceDescription,
      imageSize: (config.height, config.width, config.channels))
    for (split, count) in zip(SplitName.all, [config.trainCount, config.valCount, config.testCount]) where count > 0 {
      try writer.beginSplit(split, count: count)
      let labels = self.labels(split: split, count: count, root: root)
      for index in 0..<count {
        try writer.append(draw(labels[index], split: split, index: index, root: root), label: labels[index])
      }
      try writer.endSplit()
    }
    return try writer.finish()
  }

  /// The label and image of sample `index` in a split of `count` images.
  public func sample(split: String, index: Int, count: Int) -> (image: Image, label: Int) {
    let label = labels(split: split, count: count, root: root)[index]
    return (draw(label, split: split, index: index, root: root), label)
  }

  /// Balanced labels in a seeded random order.
  private func labels(split: String, count: Int, root: RandomStream) -> [Int] {
    var rng = root.split("labels").split(split)
    let classes = DigitsConfig.classNames.count
    return rng.permutation(count).map { $0 % classes }
  }

  /// Draws `digit` as image `index` of `split` (the label only picks the glyph: backgrounds,
  /// pose, colours, clutter and noise come from the image's own stream).
  func draw(_ digit: Int, split: String, index: Int, root: RandomStream) -> Image {
    var rng = root.split(split).split(index: index)
    let c = config
    var image = Image(width: c.width, height: c.height, channels: c.channels)
    Background.paint(&image, rng: &rng)
    let side = Double(min(c.width, c.height))
    // The glyph's affine map: unit box → centred, scaled, aspect-stretched, sheared, rotated, shifted.
    let size = side * uniform(c.minScale, c.maxScale, &rng)
    let aspect = uniform(0.8, 1.15, &rng)
    let angle = uniform(-c.maxRotation, c.maxRotation, &rng) * Double.pi / 180
    let shear = uniform(-c.maxShear, c.maxShear, &rng)
    let cx = Double(c.width) * (0.5 + uniform(-c.maxShift, c.maxShift, &rng))
    let cy = Double(c.height) * (0.5 + uniform(-c.maxShift, c.maxShift, &rng))
    let (cosA, sinA) = (cos(angle), sin(angle))
    func map(_ p: DigitGlyphs.Point) -> DigitGlyphs.Point {
      let y = (p.y - 0.5) * size
      let x = (p.x - 0.5) * size * aspect + shear * y
      return (cx + x * cosA - y * sinA, cy + x * sinA + y * cosA)
    }
    let halfWidth = size * uniform(c.minStroke, c.maxStroke, &rng) / 2
    let color = contrastingColor(image, x: cx, y: cy, &rng)
    // Distractors first, so the digit is drawn over them.
    let distractors = rng.nextInt(below: c.clutter + 1)
    for _ in 0..<distractors {
      let p = (Double(rng.nextFloat()) * Double(c.width), Double(rng.nextFloat()) * Double(c.height))
      let r = size * uniform(0.15, 0.4, &rng)
      let start = uniform(0, 360, &rng)
      let points: [DigitGlyphs.Point] =
        rng.nextBernoulli(0.5)
        ? [(p.0 - r * cos(start), p.1 - r * sin(start)), (p.0 + r * cos(start), p.1 + r * sin(start))]
        : DigitGlyphs.arc(p.0, p.1, r, r, from: start, to: start + uniform(60, 160, &rng))
      Self.stroke(&image, [points], halfWidth: halfWidth * uniform(0.5, 1, &rng), color: Background.randomColor(&rng))
    }
    Self.stroke(&image, DigitGlyphs.strokes(digit).map { $0.map(map) }, halfWidth: halfWidth, color: color)
    Background.addNoise(&image, sigma: c.noise, rng: &rng)
    return image
  }

  /// Draws polylines `halfWidth` pixels either side of their centre line, anti-aliased: a pixel
  /// whose centre is at distance `d` gets coverage `clamp(halfWidth + 0.5 − d, 0, 1)`.
  static func stroke(_ image: inout Image, _ lines: [[DigitGlyphs.Point]], halfWidth: Double, color: Color) {
    var segments: [(DigitGlyphs.Point, DigitGlyphs.Point)] = []
    for line in lines { for i in line.indices.dropLast() { segments.append((line[i], line[i + 1])) } }
    guard !segments.isEmpty else { return }
    let reach = halfWidth + 1
    let xs = segments.flatMap { [$0.0.x, $0.1.x] }, ys = segments.flatMap { [$0.0.y, $0.1.y] }
    let x0 = max(0, Int((xs.min() ?? 0) - reach)), x1 = min(image.width - 1, Int((xs.max() ?? 0) + reach))
    let y0 = max(0, Int((ys.min() ?? 0) - reach)), y1 = min(image.height - 1, Int((ys.max() ?? 0) + reach))
    guard x0 <= x1, y0 <= y1 else { return }
    let ink = color.samples(channels: image.channels).map(Double.init)
    for y in y0...y1 {
      for x in x0...x1 {
        let p = (x: Double(x) + 0.5, y: Double(y) + 0.5)
        var d = Double.infinity
        for (a, b) in segments { d = min(d, distance(p, a, b)) }
        let alpha = min(1, max(0, halfWidth + 0.5 - d))
        guard alpha > 0 else { continue }
        let base = image.index(x: x, y: y)
        for ch in 0..<image.channels {
          let old = Double(image.pixels[base + ch])
          image.pixels[base + ch] = Background.clampByte(old + (ink[ch] - old) * alpha)
        }
      }
    }
  }

  /// The distance from `p` to the segment `a`–`b`.
  static func distance(_ p: DigitGlyphs.Point, _ a: DigitGlyphs.Point, _ b: DigitGlyphs.Point) -> Double {
    let (dx, dy) = (b.x - a.x, b.y - a.y)
    let length2 = dx * dx + dy * dy
    let t = length2 > 0 ? min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0
    let (ex, ey) = (p.x - a.x - t * dx, p.y - a.y - t * dy)
    return (ex * ex + ey * ey).squareRoot()
  }

  /// A random colour whose luma differs from the background's at `(x, y)` by at least 60.
  private func contrastingColor(_ image: Image, x: Double, y: Double, _ rng: inout RandomStream) -> Color {
    let px = min(image.width - 1, max(0, Int(x))), py = min(image.height - 1, max(0, Int(y)))
    let base = image.index(x: px, y: py)
    let background =
      image.channels == 1
      ? Int(image.pixels[base])
      : Int(Color(image.pixels[base], image.pixels[base + 1], image.pixels[base + 2]).luma)
    var color = Background.randomColor(&rng)
    for _ in 0..<8 where abs(Int(color.luma) - background) < 60 { color = Background.randomColor(&rng) }
    if abs(Int(color.luma) - background) < 60 { color = background > 127 ? .black : .white }
    return color
  }

  private func uniform(_ lo: Double, _ hi: Double, _ rng: inout RandomStream) -> Double {
    lo + (hi - lo) * Double(rng.nextFloat())
  }
}
