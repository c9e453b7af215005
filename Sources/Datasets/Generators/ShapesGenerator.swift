import Geometry
import Images
import Tensors

/// Generates the built-in `shapes` detection dataset: circles, rectangles and triangles of
/// random size, colour and position on textured, noisy backgrounds, with exact boxes.
///
/// Each image is drawn from its own random stream `seed → "shapes" → split → index`, so an
/// image depends only on the seed, its split and its index: the same settings always give a
/// byte-identical file and content hash.
public struct ShapesGenerator: Sendable {
  public let config: ShapesConfig

  /// The stream every image derives from: `random → "shapes"`.
  let root: RandomStream

  /// Creates a generator with the given settings.
  /// - Parameter random: the stream to draw from; by default the root stream of `config.seed`
  ///   (what `workbench data generate --seed` uses). An experiment passes its data stage's
  ///   stream, so the data come from the run's one seed tree.
  public init(_ config: ShapesConfig = ShapesConfig(), random: RandomStream? = nil) {
    self.config = config
    self.root = (random ?? RandomStream(seed: config.seed)).split("shapes")
  }

  /// Writes the dataset (train, val and test splits with nonzero counts) to `path`, atomically.
  /// - Returns: the `content_hash`.
  @discardableResult
  public func write(to path: String) throws -> String {
    try config.validate()
    let writer = try DatasetWriter(
      path: path, kind: .detection, classNames: ShapesConfig.classNames, source: config.sourceDescription,
      imageSize: (config.height, config.width, config.channels))
    for (split, count) in zip(SplitName.all, [config.trainCount, config.valCount, config.testCount]) where count > 0 {
      try writer.beginSplit(split, count: count)
      for index in 0..<count {
        let (image, boxes) = sample(split: split, index: index, root: root)
        try writer.append(image, boxes: boxes)
      }
      try writer.endSplit()
    }
    return try writer.finish()
  }

  /// Draws image `index` of `split`.
  public func sample(split: String, index: Int) -> (Image, [Box]) {
    sample(split: split, index: index, root: root)
  }

  private func sample(split: String, index: Int, root: RandomStream) -> (Image, [Box]) {
    var rng = root.split(split).split(index: index)
    var image = Image(width: config.width, height: config.height, channels: config.channels)
    Background.paint(&image, rng: &rng)
    var boxes: [Box] = []
    if !rng.nextBernoulli(Float(config.emptyFraction)) {
      let wanted = 1 + rng.nextInt(below: config.maxObjects)
      var attempts = 0
      while boxes.count < wanted && attempts < 20 * wanted {
        attempts += 1
        if let box = place(&image, existing: boxes, rng: &rng) { boxes.append(box) }
      }
    }
    Background.addNoise(&image, sigma: config.noise, rng: &rng)
    return (image, boxes)
  }

  /// Draws one random shape that overlaps existing ones by at most `maxOverlap` IoU.
  private func place(_ image: inout Image, existing: [Box], rng: inout RandomStream) -> Box? {
    let w = Double(config.width), h = Double(config.height)
    let side = min(w, h) * (config.minSize + (config.maxSize - config.minSize) * Double(rng.nextFloat()))
    let aspect = Double(rng.nextFloat(in: 0.6..<1.6))
    let classIndex = rng.nextInt(below: 3)
    let bw = classIndex == 0 ? side : min(w - 2, side * aspect.squareRoot())
    let bh = classIndex == 0 ? side : min(h - 2, side / aspect.squareRoot())
    let x0 = Double(rng.nextFloat()) * (w - bw), y0 = Double(rng.nextFloat()) * (h - bh)
    let box = Box(
      classIndex: classIndex, x0: Float(x0), y0: Float(y0), x1: Float(x0 + bw), y1: Float(y0 + bh),
      width: config.width, height: config.height)
    let color = contrastingColor(image: image, x0: x0, y0: y0, bw: bw, bh: bh, rng: &rng)
    guard existing.allSatisfy({ iou($0, box) <= config.maxOverlap }) else { return nil }
    switch classIndex {
    case 0:
      image.fillCircle(cx: x0 + bw / 2, cy: y0 + bh / 2, radius: bw / 2, color: color)
    case 1:
      image.fillRectangle(
        x0: Int(x0.rounded()), y0: Int(y0.rounded()), x1: Int((x0 + bw).rounded()),
        y1: Int((y0 + bh).rounded()), color: color)
    default:
      // Apex somewhere on the top edge, base along the bottom edge: the box is exact.
      let apex = x0 + bw * Double(rng.nextFloat())
      image.fillTriangle((apex, y0), (x0, y0 + bh), (x0 + bw, y0 + bh), color: color)
    }
    return box
  }

  /// A random colour whose luma differs from the background's at the box centre by ≥ 50.
  private func contrastingColor(image: Image, x0: Double, y0: Double, bw: Double, bh: Double, rng: inout RandomStream)
    -> Color
  {
    let cx = min(image.width - 1, Int(x0 + bw / 2)), cy = min(image.height - 1, Int(y0 + bh / 2))
    let background = Int(
      image.channels == 1
        ? image[x: cx, y: cy, c: 0]
        : Color(image[x: cx, y: cy, c: 0], image[x: cx, y: cy, c: 1], image[x: cx, y: cy, c: 2]).luma)
    var color = Background.randomColor(&rng)
    for _ in 0..<8 where abs(Int(color.luma) - background) < 50 { color = Background.randomColor(&rng) }
    if abs(Int(color.luma) - background) < 50 { color = background > 127 ? .black : .white }
    return color
  }

  private func iou(_ a: Box, _ b: Box) -> Double {
    let iw = max(0, min(a.x1, b.x1) - max(a.x0, b.x0)), ih = max(0, min(a.y1, b.y1) - max(a.y0, b.y0))
    let inter = Double(iw * ih)
    return inter / (Double(a.w * a.h + b.w * b.h) - inter)
  }
}
