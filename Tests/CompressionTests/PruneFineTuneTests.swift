import Autograd
import Compression
import Graph
import GraphTraining
import Tensors
import Training
import XCTest

/// A real learning test: a small CNN learns which quadrant of an 8×8 image holds a bright
/// square, seven eighths of its channels are pruned by Taylor importance (Molchanov et al.
/// 2019, with the training loss), and a short fine-tuning recovers the accuracy of the
/// unpruned model on held-out images.
final class PruneFineTuneTests: XCTestCase {
  /// Images with a 3×3 square in quadrant `label` (random place in it) on uniform noise.
  private func data(_ count: Int, seed: UInt64) -> (images: Tensor<Float>, labels: [Int]) {
    var rng = RandomStream(seed: seed)
    var pixels = [Float](repeating: 0, count: count * 64)
    var labels: [Int] = []
    for n in 0..<count {
      for i in 0..<64 { pixels[n * 64 + i] = rng.nextFloat(in: 0..<0.7) }
      let label = rng.nextInt(below: 4)
      let (top, left) = (label / 2 * 4 + rng.nextInt(below: 2), label % 2 * 4 + rng.nextInt(below: 2))
      for y in top..<(top + 3) { for x in left..<(left + 3) { pixels[n * 64 + y * 8 + x] += 0.5 } }
      labels.append(label)
    }
    return (Tensor(shape: [count, 1, 8, 8], scalars: pixels), labels)
  }

  private func model() throws -> ModelGraph {
    var b = GraphBuilder(name: "quadrants")
    let x = b.input("image", shape: [1, 1, 8, 8])
    let conv: [String: Attribute] = [
      "outChannels": .int(16), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1]), "bias": .bool(false),
    ]
    let pool: [String: Attribute] = ["kernel": .ints([2, 2]), "stride": .ints([2, 2])]
    var y = try b.add(.relu, "r1", [try b.add(.batchNorm, "bn1", [try b.add(.conv, "c1", [x], conv)])])
    y = try b.add(.maxPool, "p1", [y], pool)
    y = try b.add(.relu, "r2", [try b.add(.batchNorm, "bn2", [try b.add(.conv, "c2", [y], conv)])])
    y = try b.add(.flatten, "flat", [try b.add(.maxPool, "p2", [y], pool)])
    b.output(try b.add(.dense, "logits", [y], ["outFeatures": .int(4)]), role: .logits)
    return try b.finish()
  }

  private func batch(_ d: (images: Tensor<Float>, labels: [Int]), _ i: Int, size: Int) -> (Tensor<Float>, [Int]) {
    let n = d.labels.count, start = (i * size) % (n - size + 1)
    return (
      Tensor(shape: [size, 1, 8, 8], scalars: Array(d.images.scalars[(start * 64)..<((start + size) * 64)])),
      Array(d.labels[start..<(start + size)])
    )
  }

  /// Trains `graph` for `steps` Adam steps and returns the trained graph.
  private func train(_ graph: ModelGraph, _ d: (images: Tensor<Float>, labels: [Int]), steps: Int) throws -> ModelGraph
  {
    let executor = try GraphExecutor(graph: graph, random: RandomStream(seed: 1))
    var optimizer = Optimizer(.adam(Adam()))
    let parameters = TrainableParameter.groups(executor.parameters)
    for step in 0..<steps {
      let (x, labels) = batch(d, step, size: 32)
      for p in parameters { p.variable.zeroGrad() }
      let logits = try XCTUnwrap(executor.forward(inputs: ["image": Variable(x)], training: true)["logits"])
      CrossEntropyLoss()(logits, labels: labels).backward()
      optimizer.step(parameters, learningRate: 0.01)
    }
    return executor.exportGraph()
  }

  private func accuracy(_ graph: ModelGraph, _ d: (images: Tensor<Float>, labels: [Int])) throws -> Double {
    let logits = try XCTUnwrap(try graph.evaluate(inputs: ["image": d.images])["logits"])
    let predicted = logits.argmax(axis: 1).scalars.map(Int.init)
    return Double(zip(predicted, d.labels).filter { $0 == $1 }.count) / Double(d.labels.count)
  }

  func testPrunedThenFineTunedModelRecoversItsAccuracy() throws {
    let (trainSet, testSet) = (data(1024, seed: 1), data(256, seed: 2))
    let trained = try train(try model(), trainSet, steps: 120)
    let baseline = try accuracy(trained, testSet)
    XCTAssertGreaterThan(baseline, 0.9, "the unpruned model learns the task")
    var settings = CompressionSettings()
    settings.criterion = .taylor
    settings.ratio = 0.875
    settings.roundTo = 1
    settings.taylorBatches = 4
    let compressor = Compressor(settings: settings)
    let pruned = try compressor.prune(trained, ratios: try compressor.ratios(for: trained)) { executor, i in
      let (x, labels) = self.batch(trainSet, i, size: 64)
      let logits = executor.forward(inputs: ["image": Variable(x)], training: false)["logits"]
      return CrossEntropyLoss()(logits ?? Variable(Tensor(zeros: [64, 4])), labels: labels)
    }
    XCTAssertEqual(pruned.parameters["c1.weight"]?.shape, [2, 1, 3, 3])
    XCTAssertEqual(pruned.parameters["c2.weight"]?.shape, [2, 2, 3, 3])
    XCTAssertEqual(pruned.parameters["logits.weight"]?.shape, [4, 8], "2 channels × 2×2 flattened")
    let before = try CostAnalysis.analyze(trained), after = try CostAnalysis.analyze(pruned)
    XCTAssertLessThan(Double(after.totalMACs), 0.05 * Double(before.totalMACs))
    let fineTuned = try train(pruned, trainSet, steps: 60)
    let (recovered, prunedOnly) = (try accuracy(fineTuned, testSet), try accuracy(pruned, testSet))
    XCTAssertGreaterThan(recovered, baseline - 0.05, "pruned \(prunedOnly), baseline \(baseline)")
    // Measured: 1.0 unpruned, 0.93 right after pruning, 1.0 after fine-tuning.
    XCTAssertGreaterThan(recovered, prunedOnly, "fine-tuning recovers what pruning lost")
    let deployed = try compressor.deploy(fineTuned)
    XCTAssertEqual(try accuracy(deployed, testSet), recovered, accuracy: 1.0 / 256)
  }
}
