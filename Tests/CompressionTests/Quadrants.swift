import Autograd
import Compression
import Graph
import GraphTraining
import Tensors
import Training
import XCTest

/// The small learning task of the compression tests: which quadrant of an 8×8 image holds a
/// bright 3×3 square, learnt by a two-block CNN (conv-BN-ReLU-pool twice, then dense).
enum Quadrants {
  typealias Data = (images: Tensor<Float>, labels: [Int])

  /// Images with a 3×3 square in quadrant `label` (random place in it) on uniform noise.
  static func data(_ count: Int, seed: UInt64) -> Data {
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

  /// c1 (16) → bn1 → r1 → p1 → c2 (16) → bn2 → r2 → p2 → flatten → dense logits (4).
  static func model() throws -> ModelGraph {
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

  /// Minibatch `i` of `size` images (consecutive, wrapping).
  static func batch(_ d: Data, _ i: Int, size: Int) -> (Tensor<Float>, [Int]) {
    let n = d.labels.count, start = (i * size) % (n - size + 1)
    return (
      Tensor(shape: [size, 1, 8, 8], scalars: Array(d.images.scalars[(start * 64)..<((start + size) * 64)])),
      Array(d.labels[start..<(start + size)])
    )
  }

  /// `graph` trained for `steps` Adam steps (lr 0.01, batches of 32) on cross-entropy, plus
  /// network slimming's λ·Σ|γ| when `sparsity` > 0 (through ``NetworkSlimming/objective(_:executor:lambda:)``).
  static func train(_ graph: ModelGraph, _ d: Data, steps: Int, sparsity: Float = 0) throws -> ModelGraph {
    let executor = try GraphExecutor(graph: graph, random: RandomStream(seed: 1))
    var optimizer = Optimizer(.adam(Adam()))
    let parameters = TrainableParameter.groups(executor.parameters)
    let objective = NetworkSlimming.objective(
      { (logits: Variable, labels: [Int]) in LossTerms("ce", CrossEntropyLoss()(logits, labels: labels)) },
      executor: executor, lambda: sparsity)
    for step in 0..<steps {
      let (x, labels) = batch(d, step, size: 32)
      for p in parameters { p.variable.zeroGrad() }
      let logits = try XCTUnwrap(executor.forward(inputs: ["image": Variable(x)], training: true)["logits"])
      objective(logits, labels).total.backward()
      optimizer.step(parameters, learningRate: 0.01)
    }
    return executor.exportGraph()
  }

  /// Top-1 accuracy of `graph` on `d`.
  static func accuracy(_ graph: ModelGraph, _ d: Data) throws -> Double {
    let logits = try XCTUnwrap(try graph.evaluate(inputs: ["image": d.images])["logits"])
    let predicted = logits.argmax(axis: 1).scalars.map(Int.init)
    return Double(zip(predicted, d.labels).filter { $0 == $1 }.count) / Double(d.labels.count)
  }
}
