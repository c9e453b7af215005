import ArgumentParser
import Datasets

extension Workbench {
  /// `workbench data generate shapes|digits|faces --out FILE …`: the built-in synthetic datasets.
  struct DataGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "generate",
      abstract: "Generate a synthetic dataset (deterministic from --seed).",
      discussion: """
        shapes: detection images of circles, rectangles and triangles with exact boxes.
        digits: classification images of the digits 0-9 drawn as strokes under random
                scale, rotation, shear and shift, with clutter and noise (balanced labels).
        faces:  an identity dataset of procedurally drawn faces plus an LFW-style pairs.txt.
        """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case shapes, digits, faces }

    @Argument(help: "What to generate: shapes, digits or faces.")
    var kind: Kind

    @Option(name: .shortAndLong, help: "The dataset file to write (.h5).")
    var out: String

    @Option(help: "Seed of all randomness.")
    var seed: UInt64 = 0

    @Option(help: "Image width and height in pixels.")
    var size: Int?

    @Option(help: "1 (gray) or 3 (RGB). Default: 3 for shapes, 1 for digits and faces.")
    var channels: Int?

    @Option(help: "shapes, digits: images in the train, val and test splits, e.g. 2000,200,200.")
    var counts: String?

    @Option(help: "faces: train identities × images each, e.g. 500x10.")
    var train: String?

    @Option(help: "faces: test identities × images each, e.g. 200x6.")
    var test: String?

    @Option(help: "faces: where to write pairs.txt (default: next to --out).")
    var pairs: String?

    @Option(help: "faces: nuisance strength (pose, light, blur, noise); 1 is the default difficulty.")
    var nuisance: Double?

    func validate() throws {
      if let size, size < 16 { throw ValidationError("--size must be at least 16.") }
      if let channels, channels != 1 && channels != 3 { throw ValidationError("--channels must be 1 or 3.") }
      if counts != nil && kind == .faces { throw ValidationError("--counts applies to shapes and digits only.") }
      if (train != nil || test != nil || pairs != nil || nuisance != nil) && kind != .faces {
        throw ValidationError("--train, --test, --pairs and --nuisance apply to faces only.")
      }
    }

    func run() throws {
      switch kind {
      case .shapes:
        var config = ShapesConfig()
        config.seed = seed
        if let size { (config.width, config.height) = (size, size) }
        if let channels { config.channels = channels }
        if let counts { (config.trainCount, config.valCount, config.testCount) = try splitCounts(counts) }
        let hash = try ShapesGenerator(config).write(to: out)
        print("wrote \(out)\ncontent_hash: \(hash)")
      case .digits:
        var config = DigitsConfig()
        config.seed = seed
        if let size { (config.width, config.height) = (size, size) }
        if let channels { config.channels = channels }
        if let counts { (config.trainCount, config.valCount, config.testCount) = try splitCounts(counts) }
        let hash = try DigitsGenerator(config).write(to: out)
        print("wrote \(out)\ncontent_hash: \(hash)")
      case .faces:
        var config = FacesConfig()
        config.seed = seed
        if let size { (config.width, config.height) = (size, size) }
        if let channels { config.channels = channels }
        if let train {
          (config.trainIdentities, config.imagesPerTrainIdentity) = try positivePair(
            train, option: "--train", form: "identities x images", example: "200x6")
        }
        if let test {
          (config.testIdentities, config.imagesPerTestIdentity) = try positivePair(
            test, option: "--test", form: "identities x images", example: "200x6")
        }
        if let nuisance { config.nuisance = nuisance }
        let output = try FacesGenerator(config).write(to: out, pairsFile: pairs)
        print(
          "wrote \(out)\nwrote \(output.pairsFile) (\(output.pairCount) pairs)\ncontent_hash: \(output.contentHash)")
      }
    }

    /// `train,val,test` image counts, e.g. `2000,200,200`.
    private func splitCounts(_ text: String) throws -> (Int, Int, Int) {
      let values = text.split(separator: ",").compactMap { Int($0) }
      guard values.count == 3 else { throw ValidationError("--counts needs three numbers: train,val,test.") }
      return (values[0], values[1], values[2])
    }
  }
}
