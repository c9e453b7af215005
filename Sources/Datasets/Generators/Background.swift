import Foundation
import Images
import Tensors

/// Procedural backgrounds for synthetic images: a colour gradient plus a random texture
/// (stripes, checks or blotches), so detectors cannot rely on a flat background.
enum Background {
  /// Fills `image` with a random textured background drawn from `rng`.
  static func paint(_ image: inout Image, rng: inout RandomStream) {
    let a = randomColor(&rng), b = randomColor(&rng)
    let texture = rng.nextInt(below: 4)  // 0 plain gradient, 1 stripes, 2 checks, 3 blotches
    let frequency = Double(rng.nextFloat(in: 2..<9))
    let angle = Double(rng.nextFloat(in: 0..<Float.pi))
    let (ca, sa) = (cos(angle), sin(angle))
    let amplitude = Double(rng.nextFloat(in: 10..<40))
    var blotches: [(x: Double, y: Double, r: Double, v: Double)] = []
    if texture == 3 {
      for _ in 0..<(3 + rng.nextInt(below: 5)) {
        blotches.append(
          (
            Double(rng.nextFloat()), Double(rng.nextFloat()), Double(rng.nextFloat(in: 0.05..<0.25)),
            Double(rng.nextFloat(in: -1..<1))
          ))
      }
    }
    let w = Double(image.width), h = Double(image.height)
    let from = SIMD3<Double>(Double(a.red), Double(a.green), Double(a.blue))
    let to = SIMD3<Double>(Double(b.red), Double(b.green), Double(b.blue))
    for y in 0..<image.height {
      for x in 0..<image.width {
        let u = Double(x) / w, v = Double(y) / h
        let t = min(1, max(0, u * ca + v * sa))
        var offset = 0.0
        switch texture {
        case 1: offset = amplitude * sin(2 * Double.pi * frequency * (u * sa - v * ca))
        case 2: offset = ((Int(u * frequency) + Int(v * frequency)) % 2 == 0 ? amplitude : -amplitude) / 2
        case 3:
          for blot in blotches {
            let d2 = ((u - blot.x) * (u - blot.x) + (v - blot.y) * (v - blot.y)) / (blot.r * blot.r)
            if d2 < 1 { offset += amplitude * blot.v * (1 - d2) }
          }
        default: break
        }
        let color = Color(
          clampByte(from.x + (to.x - from.x) * t + offset), clampByte(from.y + (to.y - from.y) * t + offset),
          clampByte(from.z + (to.z - from.z) * t + offset))
        let base = image.index(x: x, y: y)
        if image.channels == 1 {
          image.pixels[base] = color.luma
        } else {
          (image.pixels[base], image.pixels[base + 1], image.pixels[base + 2]) = (color.red, color.green, color.blue)
        }
      }
    }
  }

  /// Adds Gaussian noise of standard deviation `sigma` to every sample.
  static func addNoise(_ image: inout Image, sigma: Double, rng: inout RandomStream) {
    guard sigma > 0 else { return }
    for i in image.pixels.indices {
      image.pixels[i] = clampByte(Double(image.pixels[i]) + sigma * Double(rng.nextNormal()))
    }
  }

  /// A random colour.
  static func randomColor(_ rng: inout RandomStream) -> Color {
    Color(UInt8(rng.nextInt(below: 256)), UInt8(rng.nextInt(below: 256)), UInt8(rng.nextInt(below: 256)))
  }

  static func clampByte(_ value: Double) -> UInt8 { UInt8(min(255, max(0, value.rounded()))) }
}
