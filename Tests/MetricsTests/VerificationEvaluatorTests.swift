import Support
import XCTest

@testable import Metrics

final class VerificationEvaluatorTests: XCTestCase {
  /// Two folds by hand (see the numbers in the comments); distances are given directly.
  /// fold 0: same .1 .2, different .8 .9; fold 1: same .3 .7, different .6 .95.
  let distances = [0.1, 0.2, 0.8, 0.9, 0.3, 0.7, 0.6, 0.95]
  let isSame = [true, true, false, false, true, true, false, false]
  let folds = [0, 0, 0, 0, 1, 1, 1, 1]

  func testTwoFoldProtocolByHand() throws {
    let r = try VerificationEvaluator.evaluate(
      distances: distances, isSame: isSame, folds: folds, metric: .euclidean)
    // Fold 0 tested with fold 1's best split: accept {.3} → 3/4 correct (first best), t = .45.
    // Fold 1 tested with fold 0's best split: accept {.1, .2} → 4/4, t = .5.
    XCTAssertEqual(r.foldThresholds[0], 0.45, accuracy: 1e-12)
    XCTAssertEqual(r.foldThresholds[1], 0.5, accuracy: 1e-12)
    XCTAssertEqual(r.foldAccuracies, [1, 0.75])
    XCTAssertEqual(r.accuracy, 0.875, accuracy: 1e-12)
    XCTAssertEqual(r.standardDeviation, 0.125, accuracy: 1e-12)
    XCTAssertEqual(r.standardError, (0.03125).squareRoot() / 2.0.squareRoot(), accuracy: 1e-12)
  }

  /// Sorted: .1S .2S .3S .6D .7S .8D .9D .95D — AUC 15/16, EER .25 at .6, TAR@FAR .1 = .75.
  func testROCByHand() throws {
    let r = try VerificationEvaluator.evaluate(
      distances: distances, isSame: isSame, folds: folds, metric: .euclidean,
      farTargets: [0.1, 0.3])
    XCTAssertEqual(r.roc.auc, 15.0 / 16, accuracy: 1e-12)
    XCTAssertEqual(r.roc.equalErrorRate, 0.25, accuracy: 1e-12)
    XCTAssertEqual(r.roc.equalErrorThreshold, 0.6)
    XCTAssertEqual(r.roc.falseAcceptRate, [0, 0, 0, 0, 0.25, 0.25, 0.5, 0.75, 1])
    XCTAssertEqual(r.roc.trueAcceptRate, [0, 0.25, 0.5, 0.75, 0.75, 1, 1, 1, 1])
    XCTAssertEqual(r.tarAtFar.map(\.tar), [0.75, 1])
    XCTAssertEqual(r.tarAtFar.map(\.threshold), [0.3, 0.7])
  }

  func testDistances() {
    let a: [Float] = [1, 0, 0]
    let b: [Float] = [0, 2, 0]
    XCTAssertEqual(DistanceMetric.cosine.distance(a[...], b[...]), 1, accuracy: 1e-12)
    XCTAssertEqual(
      DistanceMetric.euclidean.distance(a[...], b[...]), 5.0.squareRoot(), accuracy: 1e-12)
    XCTAssertEqual(DistanceMetric.squaredEuclidean.distance(a[...], b[...]), 5, accuracy: 1e-12)
    XCTAssertEqual(DistanceMetric.cosine.distance(a[...], [2, 0, 0][...]), 0, accuracy: 1e-12)
  }

  /// End to end from a pairs file and a key → vector table.
  func testFromPairsAndEmbeddings() throws {
    let pairs = try LFWPairs.parse("2 1\nA 1 2\nA 1 B 1\nC 1 2\nC 1 B 1\n")
    let table = try EmbeddingTable(
      keys: ["A_0001", "A_0002", "B_0001", "C_0001", "C_0002"],
      matrix: [1, 0, 0.9, 0.1, 0, 1, -1, 0, -0.9, 0.1], dimension: 2)
    let r = try VerificationEvaluator.evaluate(
      pairs: pairs, embeddings: table, metric: .squaredEuclidean)
    XCTAssertEqual(r.metric, .squaredEuclidean)
    XCTAssertEqual(r.pairs, 4)
    XCTAssertEqual(r.folds, 2)
    // Same pairs at squared distance .02, different ones at 2: every fold is perfect and the
    // threshold is the midpoint 1.01.
    XCTAssertEqual(r.accuracy, 1)
    XCTAssertEqual(r.foldThresholds[0], 1.01, accuracy: 1e-6)
    let dictionary = Dictionary(
      uniqueKeysWithValues: table.keys.map { ($0, Array(table.vector($0) ?? [])) })
    let same = try VerificationEvaluator.evaluate(
      pairs: pairs, embeddings: dictionary, metric: .squaredEuclidean)
    XCTAssertEqual(same, r)
  }

  func testMissingEmbeddingNamesKeyAndLine() throws {
    let pairs = try LFWPairs.parse("1 1\nA 1 2\nA 1 B 2\n")
    let table = try EmbeddingTable(["A_0001": [1, 0], "A_0002": [1, 0.1]])
    XCTAssertThrowsError(try VerificationEvaluator.evaluate(pairs: pairs, embeddings: table)) {
      XCTAssertEqual(
        "\($0)",
        "pairs file line 3: no embedding for key 'B_0002'; the embeddings file must contain every image of the pairs."
      )
    }
  }
}
