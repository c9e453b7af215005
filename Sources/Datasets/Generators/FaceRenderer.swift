import Foundation
import Images
import Tensors

/// Draws a face-like image of a ``FaceIdentity`` under a ``FaceNuisance``, pixel by pixel.
///
/// Each pixel is mapped back into the face frame (undoing shift, scale and roll) and coloured by
/// layers: background, hair behind, skin with shading, eyes, brows, nose, mouth, beard, moles,
/// glasses, fringe. Lighting, blur and noise are applied to the whole image afterwards.
struct FaceRenderer {
  let width: Int, height: Int, channels: Int

  func render(_ face: FaceIdentity, _ n: FaceNuisance, rng: inout RandomStream) -> Image {
    var rgb = [SIMD3<Float>](repeating: .zero, count: width * height)
    let (c, s) = (cos(n.roll), sin(n.roll))
    for py in 0..<height {
      for px in 0..<width {
        let x = (Float(px) + 0.5) / Float(width) * 2 - 1
        let y = (Float(py) + 0.5) / Float(height) * 2 - 1
        let xs = (x - n.dx) / n.scale, ys = (y - n.dy) / n.scale
        let u = c * xs + s * ys, v = -s * xs + c * ys
        var color = shade(face, n, u: u, v: v)
        if color == nil { color = n.background * (1 + n.backgroundGradient * y) }
        let light = n.gain * (1 + n.lightGradient * x)
        rgb[py * width + px] = (color ?? .zero) * light
      }
    }
    if n.blur > 0.15 { rgb = gaussianBlur(rgb, sigma: n.blur) }
    var image = Image(width: width, height: height, channels: channels)
    for (i, value) in rgb.enumerated() {
      if channels == 1 {
        let gray = 0.299 * value.x + 0.587 * value.y + 0.114 * value.z + n.noise * rng.nextNormal()
        image.pixels[i] = byte(gray)
      } else {
        for k in 0..<3 { image.pixels[3 * i + k] = byte(value[k] + n.noise * rng.nextNormal()) }
      }
    }
    return image
  }

  /// The colour of face-frame point (u, v), or `nil` for background.
  private func shade(_ f: FaceIdentity, _ n: FaceNuisance, u: Float, v: Float) -> SIMD3<Float>? {
    let fv = v - f.faceY
    let turn = n.yaw * 0.18  // features slide sideways when the head turns
    // Face outline: an ellipse narrowing towards the chin.
    let narrowing = fv > 0 ? 1 - f.jaw * (fv / f.faceRY) * (fv / f.faceRY) : 1
    let inFace = sq(u / (f.faceRX * narrowing)) + sq(fv / f.faceRY) <= 1
    let hairR = sq(u / (f.faceRX * 1.12)) + sq((fv + 0.06) / (f.faceRY * 1.08))
    let inHairShape = hairR <= 1
    guard inFace else {
      return inHairShape && fv < f.hairLength ? f.hair * 0.9 : nil
    }
    // Fringe above a wavy hairline.
    if fv < f.hairline + f.hairWave * sin(f.hairWaveFrequency * u) { return f.hair }
    var color = f.skin * (1 - 0.3 * sq((u - turn * 1.5) / f.faceRX))
    // Beard on the lower face.
    if f.beard > 0, fv > f.mouthY - 0.1 { color = mix(color, f.hair, f.beard * min(1, (fv - f.mouthY + 0.1) * 6)) }
    for side: Float in [-1, 1] {
      let ex = side * f.eyeSpacing + turn, ey = f.eyeY
      // Eyebrow: a tilted bar above the eye.
      let by = ey - f.browGap - n.browRaise + side * f.browTilt * (u - ex) * -0.5
      if abs(u - ex) < f.eyeRX * 1.3, abs(v - by) < f.browThickness { return f.hair * 0.7 }
      // Eye: white, iris, pupil; squeezed when blinking.
      let ry = f.eyeRY * n.eyeOpen
      let e = sq((u - ex) / f.eyeRX) + sq((v - ey) / ry)
      if e <= 1 {
        let d = ((u - ex) * (u - ex) + (v - ey) * (v - ey)).squareRoot()
        if d < f.eyeRY * 0.45 { return SIMD3(0.05, 0.05, 0.05) }
        if d < f.eyeRY * 0.95 { return f.iris }
        return SIMD3(0.92, 0.92, 0.9)
      }
      // Glasses: a ring around each eye and a bridge.
      if f.glasses {
        let ring = ((u - ex) * (u - ex) + (v - ey) * (v - ey)).squareRoot()
        if abs(ring - f.eyeRX * 1.5) < 0.018 { return SIMD3(0.08, 0.08, 0.1) }
      }
    }
    if f.glasses, abs(v - f.eyeY) < 0.015, abs(u - turn) < f.eyeSpacing - f.eyeRX * 1.5 {
      return SIMD3(0.08, 0.08, 0.1)
    }
    // Nose: a darker ridge on one side, nostrils at the bottom.
    let noseTop = f.eyeY + 0.05, noseBottom = f.eyeY + f.noseLength
    let nx = turn * 1.4
    if v > noseTop, v < noseBottom {
      let t = (v - noseTop) / (noseBottom - noseTop)
      if abs(u - nx - f.noseWidth * t * 0.6) < 0.02 { color *= 0.8 }
    }
    for side: Float in [-1, 1] where sq((u - nx - side * f.noseWidth * 0.6) / 0.03) + sq((v - noseBottom) / 0.018) <= 1
    {
      return color * 0.45
    }
    // Mouth: lips along a parabola (smile), dark gap when open.
    let mx = turn * 1.2, mu = (u - mx) / f.mouthWidth
    if abs(mu) < 1 {
      let curve = f.mouthY - n.smile * (1 - mu * mu)
      let dv = v - curve
      if n.mouthOpen > 0, abs(dv) < n.mouthOpen * (1 - mu * mu) { return SIMD3(0.15, 0.05, 0.05) }
      if abs(dv) < f.lipThickness * (1 - 0.5 * mu * mu) + n.mouthOpen { return f.lips }
    }
    for mole in f.moles where sq(u - mole.x - turn) + sq(v - mole.y) < sq(mole.z) { return color * 0.35 }
    return color
  }

  private func gaussianBlur(_ input: [SIMD3<Float>], sigma: Float) -> [SIMD3<Float>] {
    let radius = max(1, Int((2 * sigma).rounded(.up)))
    var kernel = (-radius...radius).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
    let total = kernel.reduce(0, +)
    kernel = kernel.map { $0 / total }
    var horizontal = input, output = input
    for y in 0..<height {
      for x in 0..<width {
        var sum = SIMD3<Float>.zero
        for k in -radius...radius { sum += input[y * width + min(width - 1, max(0, x + k))] * kernel[k + radius] }
        horizontal[y * width + x] = sum
      }
    }
    for y in 0..<height {
      for x in 0..<width {
        var sum = SIMD3<Float>.zero
        for k in -radius...radius { sum += horizontal[min(height - 1, max(0, y + k)) * width + x] * kernel[k + radius] }
        output[y * width + x] = sum
      }
    }
    return output
  }

  private func sq(_ x: Float) -> Float { x * x }
  private func mix(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ t: Float) -> SIMD3<Float> { a + (b - a) * min(1, max(0, t)) }
  private func byte(_ value: Float) -> UInt8 { UInt8(min(255, max(0, (value * 255).rounded()))) }
}
