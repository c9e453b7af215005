import Datasets
import Foundation
import RunFormat
import Support

/// `data`: produces the experiment's dataset file (format v1, see Data/README.md), a summary
/// for the report and a preview grid. Generators are deterministic from the experiment seed,
/// so the cache key (settings + seed) identifies the bytes.
///
/// Outputs: `dataset.h5`, `summary.json`, `samples.png`, and `pairs.txt` for identity data.
public struct DataStage: Stage {
  public let name = "data"
  public let reads: [ArtifactName] = []
  public let writes = [ArtifactOutput(.dataset, [RunLayout.File.dataset])]
  public init() {}

  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    var d = e.document["data"] ?? .null
    if e.settings.data.source == .file, case .object(var o) = d {
      // a file is identified by its contents, not its path
      o["content_hash"] = .string((try? DatasetFile(path: e.settings.data.path).contentHash) ?? "unreadable")
      o["path"] = nil
      d = .object(o)
    }
    return d
  }

  public func run(_ context: StageContext) throws {
    let d = context.settings.data
    let out = context.outputFile(RunLayout.File.dataset).path
    switch d.source {
    case .shapes:
      var c = ShapesConfig()
      c.seed = context.settings.seed
      c.width = d.imageSize; c.height = d.imageSize; c.channels = d.channels
      c.trainCount = d.train; c.valCount = d.val; c.testCount = 0
      c.maxObjects = d.maxObjects
      try c.validate()
      context.progress.line(
        "  generating shapes: \(d.train) train + \(d.val) val images of \(d.imageSize)×\(d.imageSize)")
      _ = try ShapesGenerator(c, random: context.rng).write(to: out)
    case .digits:
      var c = DigitsConfig()
      c.seed = context.settings.seed
      c.width = d.imageSize; c.height = d.imageSize; c.channels = d.channels
      c.trainCount = d.train; c.valCount = d.val; c.testCount = 0
      try c.validate()
      context.progress.line(
        "  generating digits: \(d.train) train + \(d.val) val images of \(d.imageSize)×\(d.imageSize)")
      _ = try DigitsGenerator(c, random: context.rng).write(to: out)
    case .faces:
      var c = FacesConfig()
      c.seed = context.settings.seed
      c.width = d.imageSize; c.height = d.imageSize; c.channels = d.channels
      c.trainIdentities = d.identities; c.imagesPerTrainIdentity = d.imagesPerIdentity
      c.testIdentities = d.testIdentities; c.imagesPerTestIdentity = d.testImagesPerIdentity
      c.pairsPerFold = d.pairsPerFold
      try c.validate()
      context.progress.line(
        "  generating faces: \(d.identities) train identities × \(d.imagesPerIdentity), \(d.testIdentities) test identities × \(d.testImagesPerIdentity)"
      )
      _ = try FacesGenerator(c, random: context.rng).write(
        to: out, pairsFile: context.output.appendingPathComponent("pairs.txt").path)
    case .file:
      let file = try DatasetFile(path: d.path)  // fails with a sentence naming the file
      try FileSystem.copy(URL(fileURLWithPath: file.path), to: URL(fileURLWithPath: out), "the dataset file")
    }
    try AtomicWrite.writeJSON(
      try Self.summary(of: out), to: context.outputFile(RunLayout.File.dataSummary), snakeCase: false)
    try DatasetPreview.write(file: out, to: context.outputFile(RunLayout.File.samples).path, count: 16)
  }

  /// The report's data summary (``DataSummary``): kind, image size, class names, per-split
  /// counts and histograms.
  static func summary(of path: String) throws -> DataSummary {
    let file = try DatasetFile(path: path)
    var splits: [String: DataSummary.Split] = [:]
    var size: [Int] = []
    for name in file.splitNames {
      let s = try file.split(name)
      size = [s.height, s.width, s.channels]
      var split = DataSummary.Split(images: s.count)
      switch file.kind {
      case .detection:
        let boxes = try s.boxes()
        var hist = [Double](repeating: 0, count: max(1, file.classNames.count))
        for b in boxes.joined() where b.classIndex < hist.count { hist[b.classIndex] += 1 }
        split.boxes = boxes.reduce(0) { $0 + $1.count }
        split.emptyImages = boxes.filter(\.isEmpty).count
        split.classHistogram = hist
      case .classification:
        var hist = [Double](repeating: 0, count: max(1, file.classNames.count))
        for l in try s.labels() where l < hist.count { hist[l] += 1 }
        split.classHistogram = hist
      case .identity:
        split.identities = Set(try s.identities()).count
        split.pairs = try s.pairs().count
      }
      splits[name] = split
    }
    return DataSummary(
      kind: file.kind.rawValue, imageSize: size, classNames: file.classNames, splits: splits,
      contentHash: file.contentHash, source: file.source)
  }
}
