import Foundation
import Images
import Support
import Tensors

/// Generates the built-in `faces` identity dataset and its LFW-style `pairs.txt`.
///
/// Every identity has a fixed procedurally drawn appearance (face shape, eye/nose/mouth
/// placement, skin tone, hair, glasses, beard, moles); every image adds nuisance (pose shift,
/// roll, yaw, scale, lighting, expression, blinking, blur, noise), so verification is not
/// trivial. Train and test identities are disjoint; test identities are dealt to folds so that
/// folds share no identity. Randomness: `seed → "faces" → identity/image/pairs` streams.
public struct FacesGenerator: Sendable {
  public let config: FacesConfig

  /// The stream every image derives from: `random → "faces"`.
  let root: RandomStream

  /// Creates a generator with the given settings.
  /// - Parameter random: the stream to draw from; by default the root stream of `config.seed`
  ///   (what `workbench data generate --seed` uses). An experiment passes its data stage's
  ///   stream, so the data come from the run's one seed tree.
  public init(_ config: FacesConfig = FacesConfig(), random: RandomStream? = nil) {
    self.config = config
    self.root = (random ?? RandomStream(seed: config.seed)).split("faces")
  }

  /// What ``write(to:pairsFile:)`` produced.
  public struct Output: Equatable, Sendable {
    public var contentHash: String
    public var pairsFile: String
    public var pairCount: Int
  }

  /// The name of identity `index` (train identities first, then test ones).
  public static func identityName(_ index: Int) -> String {
    "Face_" + String(format: "%05d", index + 1)
  }

  /// Writes the dataset to `path` and the pairs to `pairsFile` (default: `path` with its
  /// extension replaced by `-pairs.txt`), both atomically.
  @discardableResult
  public func write(to path: String, pairsFile: String? = nil) throws -> Output {
    try config.validate()
    let pairsPath = pairsFile ?? ((path as NSString).deletingPathExtension + "-pairs.txt")
    let renderer = FaceRenderer(width: config.width, height: config.height, channels: config.channels)
    let writer = try DatasetWriter(
      path: path, kind: .identity, classNames: [], source: config.sourceDescription,
      imageSize: (config.height, config.width, config.channels))
    let splits: [(name: String, first: Int, identities: Int, perIdentity: Int)] = [
      ("train", 0, config.trainIdentities, config.imagesPerTrainIdentity),
      ("test", config.trainIdentities, config.testIdentities, config.imagesPerTestIdentity),
    ]
    var lfw = LFWPairs(folds: config.folds, pairsPerFold: config.pairsPerFold, pairs: [])
    for split in splits where split.identities > 0 {
      try writer.beginSplit(split.name, count: split.identities * split.perIdentity)
      for local in 0..<split.identities {
        let global = split.first + local
        for k in 0..<split.perIdentity {
          try writer.append(image(identity: global, index: k, renderer: renderer, root: root), identity: local)
        }
      }
      let names = (0..<split.identities).map { Self.identityName(split.first + $0) }
      var pairs: [VerificationPair] = []
      if split.name == "test" {
        var rng = root.split("pairs")
        pairs = makePairs(identities: split.identities, perIdentity: split.perIdentity, rng: &rng)
        lfw.pairs = pairs.map {
          LFWPairs.Pair(
            name1: names[$0.first / split.perIdentity], number1: $0.first % split.perIdentity + 1,
            name2: names[$0.second / split.perIdentity], number2: $0.second % split.perIdentity + 1, fold: $0.fold)
        }
        lfw.pairsPerFold = pairs.count / (2 * config.folds)
      }
      try writer.endSplit(identityNames: names, pairs: pairs)
    }
    let hash = try writer.finish()
    do {
      try lfw.write(to: pairsPath)
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw error
    }
    return Output(contentHash: hash, pairsFile: pairsPath, pairCount: lfw.pairs.count)
  }

  /// Image `index` of identity `identity` (global numbering: train identities first).
  public func image(identity: Int, index: Int) -> Image {
    let renderer = FaceRenderer(width: config.width, height: config.height, channels: config.channels)
    return image(identity: identity, index: index, renderer: renderer, root: root)
  }

  private func image(identity: Int, index: Int, renderer: FaceRenderer, root: RandomStream) -> Image {
    var identityRNG = root.split("identity").split(index: identity)
    let face = FaceIdentity(rng: &identityRNG)
    var rng = root.split("image").split(index: identity).split(index: index)
    let nuisance = FaceNuisance(strength: Float(config.nuisance), rng: &rng)
    return renderer.render(face, nuisance, rng: &rng)
  }

  /// LFW-protocol pairs over the test split (images stored identity-major): identities dealt
  /// round-robin to folds after a shuffle; per fold, matched pairs drawn from all same-identity
  /// image pairs and as many mismatched pairs between different identities of the fold. Every
  /// fold gets the same number of pairs (the smallest any fold can supply, at most pairsPerFold).
  func makePairs(identities: Int, perIdentity: Int, rng: inout RandomStream) -> [VerificationPair] {
    let order = rng.permutation(identities)
    let foldMembers = (0..<config.folds).map { fold in
      stride(from: fold, to: identities, by: config.folds).map { order[$0] }
    }
    let matchedPerIdentity = perIdentity * (perIdentity - 1) / 2
    let capacity = foldMembers.map { $0.count * matchedPerIdentity }.min() ?? 0
    let perFold = min(config.pairsPerFold, capacity)
    var pairs: [VerificationPair] = []
    for (fold, members) in foldMembers.enumerated() {
      var matched: [VerificationPair] = []
      for identity in members.sorted() {
        for a in 0..<perIdentity {
          for b in (a + 1)..<perIdentity {
            matched.append(
              VerificationPair(
                first: identity * perIdentity + a, second: identity * perIdentity + b, isMatch: true, fold: fold))
          }
        }
      }
      pairs += rng.permutation(matched.count).prefix(perFold).map { matched[$0] }
      var seen = Set<[Int]>()
      var mismatched: [VerificationPair] = []
      while mismatched.count < perFold {
        let i = members[rng.nextInt(below: members.count)], j = members[rng.nextInt(below: members.count)]
        guard i != j else { continue }
        let first = i * perIdentity + rng.nextInt(below: perIdentity),
          second = j * perIdentity + rng.nextInt(below: perIdentity)
        guard seen.insert([min(first, second), max(first, second)]).inserted else { continue }
        mismatched.append(VerificationPair(first: first, second: second, isMatch: false, fold: fold))
      }
      pairs += mismatched
    }
    return pairs
  }
}
