import Foundation
import Images
import Tensors

extension PixelTransform {
  /// The transform for one image: base geometry (stretch or letterbox to the output size), then
  /// augmentation drawn from `rng` (zoom, shift, flip, colour jitter), then channel conversion
  /// and normalisation. With `rng == nil` no augmentation is drawn.
  static func make(
    config: LoaderConfig, source: (width: Int, height: Int, channels: Int),
    output: (width: Int, height: Int, channels: Int), rng: inout RandomStream?
  ) -> PixelTransform {
    var t = PixelTransform(matrix: [], offset: [])
    if config.letterbox, (source.width, source.height) != (output.width, output.height) {
      let box = Letterbox(
        sourceWidth: source.width, sourceHeight: source.height, width: output.width, height: output.height)
      t.scaleX = Float(box.scaledWidth) / Float(output.width)
      t.offsetX = Float(box.padX) / Float(output.width)
      t.scaleY = Float(box.scaledHeight) / Float(output.height)
      t.offsetY = Float(box.padY) / Float(output.height)
    }
    var color = ColorAffine.identity
    let aug = config.augmentation
    if var random = rng {
      if aug.minScale != 1 || aug.maxScale != 1 || aug.translate > 0 {
        let s = aug.minScale + (aug.maxScale - aug.minScale) * random.nextFloat()
        let tx = aug.translate * (2 * random.nextFloat() - 1), ty = aug.translate * (2 * random.nextFloat() - 1)
        t.scaleX *= s
        t.offsetX = (t.offsetX - 0.5) * s + 0.5 + tx
        t.scaleY *= s
        t.offsetY = (t.offsetY - 0.5) * s + 0.5 + ty
      }
      if aug.flipProbability > 0, random.nextBernoulli(aug.flipProbability) {
        t.scaleX = -t.scaleX
        t.offsetX = 1 - t.offsetX
      }
      func jitter(_ amount: Float) -> Float { amount * (2 * random.nextFloat() - 1) }
      if aug.value > 0 { color = ColorAffine.scale(1 + jitter(aug.value)).then(color) }
      if aug.saturation > 0 { color = color.then(ColorAffine.saturation(1 + jitter(aug.saturation))) }
      if aug.hue > 0 { color = color.then(ColorAffine.hueRotation(2 * Float.pi * jitter(aug.hue))) }
      if aug.contrast > 0 { color = color.then(ColorAffine.contrast(1 + jitter(aug.contrast))) }
      if aug.brightness > 0 { color = color.then(ColorAffine.brightness(jitter(aug.brightness))) }
      rng = random
    }
    (t.matrix, t.offset) = color.channelMatrix(
      inChannels: source.channels, outChannels: output.channels, mean: config.mean, std: config.std)
    return t
  }
}

/// An affine colour map on RGB in 0...1: `out = m · rgb + b`.
struct ColorAffine {
  var m: [Float]  // 3×3 row-major
  var b: [Float]

  static let identity = ColorAffine(m: [1, 0, 0, 0, 1, 0, 0, 0, 1], b: [0, 0, 0])
  static let luma: [Float] = [0.299, 0.587, 0.114]

  static func scale(_ k: Float) -> ColorAffine { ColorAffine(m: identity.m.map { $0 * k }, b: [0, 0, 0]) }
  static func brightness(_ d: Float) -> ColorAffine { ColorAffine(m: identity.m, b: [d, d, d]) }
  static func contrast(_ c: Float) -> ColorAffine {
    ColorAffine(m: identity.m.map { $0 * c }, b: [Float](repeating: 0.5 * (1 - c), count: 3))
  }
  /// Mixes with the luma: 0 is gray, 1 unchanged.
  static func saturation(_ s: Float) -> ColorAffine {
    var m = [Float](repeating: 0, count: 9)
    for r in 0..<3 { for c in 0..<3 { m[r * 3 + c] = (r == c ? s : 0) + (1 - s) * luma[c] } }
    return ColorAffine(m: m, b: [0, 0, 0])
  }
  /// Rotation by `angle` about the gray axis (Rodrigues' formula with axis (1,1,1)/√3).
  static func hueRotation(_ angle: Float) -> ColorAffine {
    let c = cos(angle), s = sin(angle) / Float(3).squareRoot(), k = (1 - c) / 3
    return ColorAffine(m: [c + k, k - s, k + s, k + s, c + k, k - s, k - s, k + s, c + k], b: [0, 0, 0])
  }

  /// `next` applied after `self`.
  func then(_ next: ColorAffine) -> ColorAffine {
    var m = [Float](repeating: 0, count: 9), b = next.b
    for r in 0..<3 {
      for c in 0..<3 { m[r * 3 + c] = (0..<3).map { next.m[r * 3 + $0] * self.m[$0 * 3 + c] }.reduce(0, +) }
      b[r] += (0..<3).map { next.m[r * 3 + $0] * self.b[$0] }.reduce(0, +)
    }
    return ColorAffine(m: m, b: b)
  }

  /// The `out × in` matrix and offset mapping stored channels (gray, gray+alpha, RGB, RGBA;
  /// alpha ignored) to output channels (1 = luma, 3 = RGB), normalised by mean and std.
  func channelMatrix(inChannels ic: Int, outChannels oc: Int, mean: [Float], std: [Float]) -> ([Float], [Float]) {
    // Input → RGB: gray is replicated, alpha dropped.
    var rows = [[Float]](repeating: [Float](repeating: 0, count: ic), count: 3)
    for r in 0..<3 {
      for k in 0..<ic where k < 3 {
        rows[r][k] = ic < 3 ? (k == 0 ? m[r * 3] + m[r * 3 + 1] + m[r * 3 + 2] : 0) : m[r * 3 + k]
      }
    }
    var bias = b
    if oc == 1 {
      rows = [(0..<ic).map { k in (0..<3).map { ColorAffine.luma[$0] * rows[$0][k] }.reduce(0, +) }]
      bias = [(0..<3).map { ColorAffine.luma[$0] * b[$0] }.reduce(0, +)]
    }
    var matrix: [Float] = [], offset: [Float] = []
    for c in 0..<oc {
      let mu = mean[c % mean.count], sigma = std[c % std.count]
      matrix += rows[c].map { $0 / sigma }
      offset.append((bias[c] - mu) / sigma)
    }
    return (matrix, offset)
  }
}
