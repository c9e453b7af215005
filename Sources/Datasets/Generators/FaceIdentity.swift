import Tensors

/// The fixed appearance of one synthetic person: geometry and texture shared by all images.
///
/// Coordinates are in a face frame where the image spans -1...1 horizontally and vertically
/// (y down) before per-image pose and scale are applied.
struct FaceIdentity: Sendable {
  var faceRX: Float, faceRY: Float, jaw: Float, faceY: Float
  var skin: SIMD3<Float>, hair: SIMD3<Float>, iris: SIMD3<Float>, lips: SIMD3<Float>
  var hairline: Float, hairWave: Float, hairWaveFrequency: Float, hairLength: Float
  var eyeSpacing: Float, eyeY: Float, eyeRX: Float, eyeRY: Float
  var browGap: Float, browTilt: Float, browThickness: Float
  var noseLength: Float, noseWidth: Float
  var mouthY: Float, mouthWidth: Float, lipThickness: Float
  var glasses: Bool, beard: Float
  var moles: [SIMD3<Float>]  // x, y, radius

  /// Draws an identity from `rng`.
  init(rng: inout RandomStream) {
    func u(_ a: Float, _ b: Float) -> Float { rng.nextFloat(in: a..<b) }
    faceRX = u(0.50, 0.66)
    faceRY = u(0.68, 0.84)
    jaw = u(0.05, 0.45)
    faceY = u(0.02, 0.10)
    let tone = u(0.25, 0.95)
    skin = SIMD3(0.35 + 0.6 * tone, 0.25 + 0.55 * tone, 0.18 + 0.5 * tone) * u(0.9, 1.05)
    let hairTone = u(0.03, 0.85)
    hair = SIMD3(hairTone, hairTone * u(0.6, 0.95), hairTone * u(0.3, 0.8))
    iris = SIMD3(u(0.1, 0.5), u(0.15, 0.5), u(0.1, 0.6))
    lips = skin * SIMD3(u(0.75, 0.95), u(0.45, 0.7), u(0.45, 0.7))
    hairline = u(-0.72, -0.35)
    hairWave = u(0, 0.1)
    hairWaveFrequency = u(3, 12)
    hairLength = u(-0.2, 0.7)
    eyeSpacing = u(0.20, 0.32)
    eyeY = u(-0.22, -0.05)
    eyeRX = u(0.08, 0.14)
    eyeRY = u(0.04, 0.07)
    browGap = u(0.09, 0.18)
    browTilt = u(-0.25, 0.25)
    browThickness = u(0.02, 0.05)
    noseLength = u(0.18, 0.32)
    noseWidth = u(0.06, 0.12)
    mouthY = u(0.32, 0.48)
    mouthWidth = u(0.14, 0.28)
    lipThickness = u(0.025, 0.055)
    glasses = rng.nextBernoulli(0.2)
    beard = rng.nextBernoulli(0.25) ? u(0.3, 0.8) : 0
    moles = (0..<rng.nextInt(below: 3)).map { _ in SIMD3(u(-0.4, 0.4), u(-0.1, 0.5), u(0.015, 0.035)) }
  }
}

/// Per-image variation of a face: pose, scale, light, expression and image quality.
struct FaceNuisance: Sendable {
  var dx: Float, dy: Float, scale: Float, roll: Float, yaw: Float
  var gain: Float, lightGradient: Float, background: SIMD3<Float>, backgroundGradient: Float
  var smile: Float, mouthOpen: Float, browRaise: Float, eyeOpen: Float
  var blur: Float, noise: Float

  /// Draws nuisance of the given strength (0 = none) from `rng`.
  init(strength s: Float, rng: inout RandomStream) {
    func u(_ a: Float, _ b: Float) -> Float { rng.nextFloat(in: a..<b) }
    dx = s * u(-0.10, 0.10)
    dy = s * u(-0.10, 0.10)
    scale = 1 + s * u(-0.12, 0.12)
    roll = s * u(-0.20, 0.20)
    yaw = s * u(-0.35, 0.35)
    gain = 1 + s * u(-0.35, 0.25)
    lightGradient = s * u(-0.4, 0.4)
    background = SIMD3(u(0.1, 0.9), u(0.1, 0.9), u(0.1, 0.9))
    backgroundGradient = u(-0.3, 0.3)
    smile = s * u(-0.06, 0.10)
    mouthOpen = s * (rng.nextBernoulli(0.3) ? u(0.01, 0.05) : 0)
    browRaise = s * u(-0.03, 0.04)
    eyeOpen = s > 0 && rng.nextBernoulli(0.08 * min(1, s)) ? 0.15 : 1
    blur = s * u(0, 1.2)
    noise = s * u(0.005, 0.04)
  }
}
