import Datasets
import Foundation
import Support
import XCTest

final class FacesGeneratorTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  var small: FacesConfig {
    var config = FacesConfig()
    config.width = 32
    config.height = 32
    config.trainIdentities = 4
    config.imagesPerTrainIdentity = 3
    config.testIdentities = 6
    config.imagesPerTestIdentity = 3
    config.folds = 3
    config.pairsPerFold = 4
    return config
  }

  func testSameSeedSameHashAndPairs() throws {
    let one = try FacesGenerator(small).write(to: dir.file("one.h5"))
    let two = try FacesGenerator(small).write(to: dir.file("two.h5"))
    XCTAssertEqual(one.contentHash, two.contentHash)
    XCTAssertEqual(one.pairsFile, dir.file("one-pairs.txt"))
    XCTAssertEqual(
      try String(contentsOfFile: one.pairsFile, encoding: .utf8),
      try String(contentsOfFile: two.pairsFile, encoding: .utf8))
    XCTAssertEqual(try DatasetFile(path: dir.file("one.h5")).computeContentHash(), one.contentHash)
    var other = small
    other.seed = 7
    XCTAssertNotEqual(try FacesGenerator(other).write(to: dir.file("three.h5")).contentHash, one.contentHash)
  }

  func testSplitsPairsAndFoldsFollowTheLFWProtocol() throws {
    let output = try FacesGenerator(small).write(to: dir.file("faces.h5"), pairsFile: dir.file("pairs.txt"))
    let file = try DatasetFile(path: dir.file("faces.h5"))
    XCTAssertEqual(file.kind, .identity)
    let train = try file.split("train"), test = try file.split("test")
    XCTAssertEqual(train.count, 12)
    XCTAssertEqual(test.count, 18)
    XCTAssertTrue(Set(try train.identityNames()).isDisjoint(with: try test.identityNames()))
    let pairs = try test.pairs()
    XCTAssertEqual(pairs.count, 3 * 2 * 4)
    XCTAssertEqual(output.pairCount, 24)
    let identities = try test.identities()
    var foldsOfIdentity: [Int: Set<Int>] = [:]
    for pair in pairs {
      XCTAssertEqual(identities[pair.first] == identities[pair.second], pair.isMatch)
      XCTAssertNotEqual(pair.first, pair.second)
      foldsOfIdentity[identities[pair.first], default: []].insert(pair.fold)
      foldsOfIdentity[identities[pair.second], default: []].insert(pair.fold)
    }
    XCTAssertTrue(foldsOfIdentity.values.allSatisfy { $0.count == 1 }, "identities must not span folds")
    let lfw = try LFWPairs(contentsOf: dir.file("pairs.txt"))
    XCTAssertEqual([lfw.folds, lfw.pairsPerFold, lfw.pairs.count], [3, 4, 24])
    XCTAssertEqual(lfw.pairs.prefix(4).filter(\.isMatch).count, 4)
    XCTAssertEqual(lfw.pairs[4..<8].filter(\.isMatch).count, 0)
    let names = try test.identityNames()
    XCTAssertEqual(lfw.pairs[0].name1, names[identities[pairs[0].first]])
    XCTAssertEqual(lfw.pairs[0].number1, pairs[0].first % 3 + 1)
  }

  func testImagesOfOnePersonVaryButLessThanAcrossPeople() {
    var config = small
    config.channels = 1
    let generator = FacesGenerator(config)
    func distance(_ a: [UInt8], _ b: [UInt8]) -> Double {
      var total = 0.0
      for (x, y) in zip(a, b) {
        let d = Double(Int(x) - Int(y))
        total += d * d
      }
      return total
    }
    let a0 = generator.image(identity: 0, index: 0).pixels, a1 = generator.image(identity: 0, index: 1).pixels
    XCTAssertNotEqual(a0, a1)
    var quiet = config
    quiet.nuisance = 0
    let q = FacesGenerator(quiet)
    XCTAssertEqual(q.image(identity: 3, index: 0).pixels.count, 32 * 32)
    XCTAssertLessThan(
      distance(q.image(identity: 3, index: 0).pixels, q.image(identity: 3, index: 1).pixels),
      distance(q.image(identity: 3, index: 0).pixels, q.image(identity: 4, index: 0).pixels))
  }

  /// Raw-pixel matching (cosine similarity, best threshold in hindsight) must be far from
  /// perfect, or the verification task would be trivial; but better than chance, or identities
  /// would carry no signal.
  func testRawPixelVerificationIsNotTrivial() throws {
    var config = small
    config.channels = 1
    config.trainIdentities = 0
    config.testIdentities = 30
    config.pairsPerFold = 30
    try FacesGenerator(config).write(to: dir.file("f.h5"))
    let test = try DatasetFile(path: dir.file("f.h5")).split("test")
    let vectors = try (0..<test.count).map { index -> [Float] in
      let pixels = try test.image(at: index).pixels.map(Float.init)
      let mean = pixels.reduce(0, +) / Float(pixels.count)
      let centred = pixels.map { $0 - mean }
      let norm = centred.map { $0 * $0 }.reduce(0, +).squareRoot()
      return centred.map { $0 / norm }
    }
    let pairs = try test.pairs()
    XCTAssertEqual(pairs.count, 180)
    let scored = pairs.map { pair -> (Float, Bool) in
      (zip(vectors[pair.first], vectors[pair.second]).map { $0 * $1 }.reduce(0, +), pair.isMatch)
    }
    let accuracy =
      scored.map { candidate in
        Double(scored.filter { ($0.0 >= candidate.0) == $0.1 }.count) / Double(scored.count)
      }.max() ?? 0
    XCTAssertGreaterThan(accuracy, 0.55)
    XCTAssertLessThan(accuracy, 0.85)
  }

  func testTooFewTestIdentitiesIsReported() {
    var config = small
    config.testIdentities = 5
    XCTAssertThrowsError(try FacesGenerator(config).write(to: dir.file("x.h5"))) { error in
      XCTAssertEqual("\(error)", "faces: testIdentities (5) must be at least 2 per fold (3 folds).")
    }
    XCTAssertEqual(dir.listing(), [])
  }

  func testPreviewForHumans() throws {
    guard let out = ProcessInfo.processInfo.environment["FACES_PREVIEW"] else {
      throw XCTSkip("set FACES_PREVIEW=path.png to render a preview")
    }
    var config = small
    config.width = 64; config.height = 64; config.channels = 3; config.imagesPerTrainIdentity = 6
    try FacesGenerator(config).write(to: dir.file("f.h5"))
    try DatasetPreview.write(file: dir.file("f.h5"), to: out, count: 24)
  }
}
