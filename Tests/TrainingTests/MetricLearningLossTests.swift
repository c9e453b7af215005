import TestSupport
import XCTest

@testable import Training

/// Lifted structured loss, the P×K sampler and the face-descriptor objective.
final class MetricLearningLossTests: XCTestCase {
  // Two identities in 2-D: f0 = (0, 0), f1 = (0.3, 0.4) (D01 = 0.5), f2 = (2, 0), f3 = (2, 0.5).
  let embeddings = Tensor<Float>(shape: [4, 2], scalars: [0, 0, 0.3, 0.4, 2, 0, 2, 0.5])
  let labels = [0, 0, 1, 1]

  func testLiftedHandValue() {
    // P = {(0,1), (2,3)}; e.g. J_01 = log(e^{1−2} + e^{1−2.0616} + e^{1−1.7} + e^{1−1.7263}) + 0.5.
    // numpy (float64): J = Σ max(0, J_ij)² / (2·2) = 0.52078004.
    let l = LiftedStructuredLoss(margin: 1)(Variable(embeddings), labels: labels)
    XCTAssertEqual(l.value.scalar, 0.52078004, accuracy: 2e-6)
  }

  func testLiftedIsZeroForWellSeparatedIdentities() {
    // Negatives 100 apart: exp(α − D) underflows to 0 without the shift; the shifted form gives
    // J_ij = α − 100 + log 2 + D_ij < 0, so the loss is exactly 0 and stays finite.
    let far = Tensor<Float>(shape: [4, 1], scalars: [0, 0.1, 100, 100.1])
    let v = Variable(far, requiresGrad: true)
    let l = LiftedStructuredLoss()(v, labels: labels)
    XCTAssertEqual(l.value.scalar, 0)
    l.backward()
    XCTAssertTrue(v.grad?.isFinite ?? false)
  }

  func testLiftedGradient() {
    let f = GradientChecker.random([6, 3], seed: 11)
    GradientChecker.check("lifted", [f]) { LiftedStructuredLoss(margin: 1)($0[0], labels: [0, 0, 1, 1, 2, 2]) }
  }

  func testFaceDescriptorLossCombinesTerms() {
    let logits = GradientChecker.random([4, 3], seed: 12)
    let loss = FaceDescriptorLoss(crossEntropyWeight: 0.5, liftedWeight: 2, normalizeEmbeddings: false)
    let terms = loss(logits: Variable(logits), embeddings: Variable(embeddings), labels: labels)
    let ce = CrossEntropyLoss()(Variable(logits), labels: labels).value.scalar
    XCTAssertEqual(terms.terms.map(\.name), ["crossEntropy", "lifted"])
    XCTAssertEqual(terms.total.value.scalar, 0.5 * ce + 2 * 0.52078004, accuracy: 1e-5)
  }

  func testFaceDescriptorGradient() {
    let logits = GradientChecker.random([6, 3], seed: 13), emb = GradientChecker.random([6, 4], seed: 14)
    GradientChecker.check("face", [logits, emb]) {
      FaceDescriptorLoss(liftedWeight: 0.7, labelSmoothing: 0.1)(
        logits: $0[0], embeddings: $0[1], labels: [0, 0, 1, 1, 2, 2]
      ).total
    }
  }

  func testPKSamplerBatchesAreDeterministicAndBalanced() throws {
    // 5 identities: identity 4 has a single image (sampled with replacement).
    let labels = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4]
    let sampler = try PKBatchSampler(labels: labels, identitiesPerBatch: 2, imagesPerIdentity: 3)
    XCTAssertEqual(sampler.batchCount, 2)
    let stream = RandomStream(seed: 5)
    let batches = sampler.batches(epoch: 0, stream: stream)
    XCTAssertEqual(batches, sampler.batches(epoch: 0, stream: stream))
    XCTAssertNotEqual(batches, sampler.batches(epoch: 1, stream: stream))
    for batch in batches {
      XCTAssertEqual(batch.count, 6)
      let ids = batch.map { labels[$0] }
      XCTAssertEqual(Set(ids.prefix(3)).count, 1)
      XCTAssertEqual(Set(ids.suffix(3)).count, 1)
      XCTAssertNotEqual(ids[0], ids[3])
      if labels.filter({ $0 == ids[0] }).count >= 3 {
        XCTAssertEqual(Set(batch.prefix(3)).count, 3, "without replacement when enough images")
      }
    }
    XCTAssertThrowsError(try PKBatchSampler(labels: labels, identitiesPerBatch: 6, imagesPerIdentity: 2))
  }
}
