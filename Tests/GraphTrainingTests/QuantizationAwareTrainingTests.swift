import Autograd
import Foundation
import Graph
import GraphFixtures
import GraphTraining
import Quantization
import Training
import XCTest

/// Quantization-aware training: at 8 bits the simulation computes what Quantization's
/// fake-quant executor computes for the `int8` model (so its relation to the integer executor
/// carries over), and at a low bit width fine-tuning under the simulation recovers accuracy
/// that post-training quantization loses.
final class QuantizationAwareTrainingTests: XCTestCase {
  /// A network with every rounding point of the int8 scheme (fused ReLU and ReLU6, depthwise,
  /// leaky ReLU, average pool, add, concat, max pool, upsample, global pool, flatten, dense,
  /// sigmoid): the simulation's inference equals the fake-quant executor on the quantized model,
  /// value for value (all 6626 here; in general the two could differ by one step where a value
  /// lies within float error of a rounding tie, as the autograd and reference kernels may sum in
  /// different orders).
  func testEightBitSimulationMatchesTheFakeQuantExecutor() throws {
    var b = GraphBuilder(name: "int8-points")
    let x = b.input("image", shape: [1, 3, 12, 12])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let r1 = try b.add(.relu, "r1", [c1])
    let dw = try b.add(
      .conv, "dw", [r1],
      [
        "outChannels": .int(8), "kernel": .ints([3, 3]), "groups": .int(8), "stride": .ints([2, 2]),
        "padding": .ints([1, 1, 1, 1]),
      ])
    let r6 = try b.add(.relu6, "r6", [dw])
    let c2 = try b.add(.conv, "c2", [r6], ["outChannels": .int(8), "kernel": .ints([1, 1]), "bias": .bool(false)])
    let la = try b.add(.leakyRelu, "la", [c2], ["alpha": .float(0.1)])
    let ap = try b.add(
      .avgPool, "ap", [r6], ["kernel": .ints([3, 3]), "stride": .ints([1, 1]), "padding": .ints([1, 1, 1, 1])])
    let sum = try b.add(.add, "sum", [la, ap])
    let rs = try b.add(.relu, "rs", [sum])
    let mp = try b.add(.maxPool, "mp", [rs], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let up = try b.add(.upsample, "up", [mp])
    let cat = try b.add(.concat, "cat", [up, la])
    let c3 = try b.add(.conv, "c3", [cat], ["outChannels": .int(4), "kernel": .ints([3, 3])])
    let g = try b.add(.globalAvgPool, "g", [c3])
    let fl = try b.add(.flatten, "fl", [g])
    let d = try b.add(.dense, "d", [fl], ["outFeatures": .int(5)])
    b.output(try b.add(.sigmoid, "sg", [d]))
    // intermediate values as graph outputs too, to compare them (none is a fused layer's output)
    for value in [r1, r6, la, ap, sum, mp, up, cat, c3, g] { b.output(value) }
    let graph = Fixtures.withValues(try b.finish(), seed: 8)
    let batches = (0..<3).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(50 + $0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .int8, ranges: ranges)
    let simulation = try QuantizationSimulation(graph: graph, ranges: ranges, bits: 8)
    XCTAssertEqual(simulation.fusedActivations, model.fusedActivations)
    for (name, q) in model.table.tensors where graph.values.contains(where: { $0.name == name }) || name == "image" {
      let f = try XCTUnwrap(simulation.formats[name], name)
      XCTAssertEqual(f.scale, q.scale, name)
      XCTAssertEqual(f.zeroPoint, q.zeroPoint, name)
    }
    let feed = Fixtures.input(for: graph, batch: 2, seed: 99)
    let expected = try FakeQuantExecutor(model).run(inputs: feed)
    let simulated = try QuantizationAwareTraining.simulate(graph, simulation: simulation, inputs: feed)
    var differing = 0, total = 0
    for output in graph.outputs {
      let (y, e) = (try XCTUnwrap(simulated[output.name]), try XCTUnwrap(expected[output.name]))
      let step = try XCTUnwrap(model.table[output.name]).scale
      for (u, v) in zip(y.scalars, e.scalars) {
        XCTAssertLessThanOrEqual(Double(abs(u - v)), step * 1.001, output.name)
        if u != v { differing += 1 }
        total += 1
      }
    }
    XCTAssertEqual(total, 2 * (8 * 144 + 4 * 8 * 36 + 8 * 9 + 8 * 36 + 16 * 36 + 4 * 16 + 4 + 5))
    XCTAssertEqual(differing, 0)
  }
}

/// A tiny classifier on generated 8×8 patterns, trained in float, then quantized at 3 bits:
/// post-training quantization against quantization-aware fine-tuning.
final class QuantizationAwareFineTuningTests: XCTestCase {
  /// A batch source over fixed batches (the same order every epoch).
  struct Batches: BatchSource {
    let batches: [LoaderBatch]
    func batchCount(epoch: Int) -> Int { batches.count }
    func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> LoaderBatch { batches[index] }
  }

  /// Four classes of 8×8 images: a horizontal bar, a vertical bar, a diagonal, a 3×3 square, at
  /// a random place, with random contrast and uniform noise.
  static func patterns(count: Int, seed: UInt64) -> (images: Tensor<Float>, labels: [Int]) {
    var rng = RandomStream(seed: seed)
    var pixels: [Float] = [], labels: [Int] = []
    for i in 0..<count {
      let label = i % 4
      var image = [Float](repeating: 0, count: 64)
      let a = Int(rng.next() % 6) + 1, c = Int(rng.next() % 6) + 1
      let contrast = 0.6 + Float(rng.next() % 1000) / 1000
      for k in 0..<8 {
        switch label {
        case 0: image[a * 8 + k] = contrast
        case 1: image[k * 8 + a] = contrast
        case 2: image[k * 8 + (k + a) % 8] = contrast
        default: if k < 3 { for j in 0..<3 { image[(a - 1 + k) * 8 + c - 1 + j] = contrast } }
        }
      }
      for p in 0..<64 { image[p] += (Float(rng.next() % 1000) / 1000 - 0.5) * 0.6 }
      pixels += image
      labels.append(label)
    }
    return (Tensor(shape: [count, 1, 8, 8], scalars: pixels), labels)
  }

  /// A float-trained classifier (conv 1→8, ReLU, max pool, conv 8→16, ReLU, global pool,
  /// dense 16→4; 20 epochs of Adam on 256 images), its batches, objective and test set.
  struct Setup {
    var graph: ModelGraph
    var batches: Batches
    var objective: (GraphModel.Output, LoaderBatch) -> LossTerms
    var test: (images: Tensor<Float>, labels: [Int])
    var ranges: [String: ClosedRange<Float>]

    func accuracy(_ graph: ModelGraph, _ simulation: QuantizationSimulation?) throws -> Double {
      let feed = ["image": test.images]
      let out =
        try simulation.map { try QuantizationAwareTraining.simulate(graph, simulation: $0, inputs: feed) }
        ?? graph.evaluate(inputs: feed)
      guard let logits = out["logits"] else { return 0 }
      let predicted = logits.argmax(axis: 1).scalars.map { Int($0) }
      return Double(zip(predicted, test.labels).filter { $0 == $1 }.count) / Double(test.labels.count)
    }

    func fineTune(_ simulation: QuantizationSimulation, epochs: Int, directory: URL? = nil) throws -> ModelGraph {
      try QuantizationAwareTraining.fineTune(
        graph: graph, simulation: simulation,
        configuration: TrainingConfiguration(
          epochs: epochs, random: RandomStream(seed: 5), learningRate: 0.003, optimizer: .adam(Adam())),
        trainingData: batches, objective: objective, random: RandomStream(seed: 6), directory: directory
      ).graph
    }
  }

  static func setup() throws -> Setup {
    var b = GraphBuilder(name: "tiny-classifier")
    let x = b.input("image", shape: [1, 1, 8, 8])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let r1 = try b.add(.relu, "r1", [c1])
    let p1 = try b.add(.maxPool, "p1", [r1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let c2 = try b.add(
      .conv, "c2", [p1], ["outChannels": .int(16), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let r2 = try b.add(.relu, "r2", [c2])
    let g = try b.add(.globalAvgPool, "g", [r2])
    let f = try b.add(.flatten, "f", [g])
    b.output(try b.add(.dense, "logits", [f], ["outFeatures": .int(4)]), role: .logits)
    let graph = try b.finish()
    let train = patterns(count: 256, seed: 1)
    let batches = Batches(
      batches: (0..<8).map { i in
        LoaderBatch(
          input: Variable(train.images.slice([(i * 32)..<(i * 32 + 32), 0..<1, 0..<8, 0..<8])), boxes: [],
          labels: Array(train.labels[(i * 32)..<(i * 32 + 32)]), identities: [], sampleCount: 32)
      })
    let loss = CrossEntropyLoss()
    let objective = { (out: GraphModel.Output, batch: LoaderBatch) -> LossTerms in
      guard let logits = out["logits"] else { return LossTerms([]) }
      return LossTerms("ce", loss(logits, labels: batch.labels))
    }
    let executor = try GraphExecutor(graph: graph, random: RandomStream(seed: 3))
    let model = try GraphModel(executor: executor, identityClasses: nil, random: RandomStream(seed: 3))
    try Trainer(
      model: model,
      configuration: TrainingConfiguration(
        epochs: 20, random: RandomStream(seed: 4), learningRate: 0.01, optimizer: .adam(Adam())),
      trainingData: batches, objective: objective
    ).fit(resume: false)
    let trained = executor.exportGraph()
    // ranges: min/max over half the training images
    let calibration = batches.batches.prefix(4).map { ["image": $0.input.value] }
    let ranges = try Calibrator.ranges(
      try Calibrator.collect(trained, batches: calibration), settings: CalibrationSettings())
    return Setup(
      graph: trained, batches: batches, objective: objective, test: patterns(count: 256, seed: 2), ranges: ranges)
  }

  /// The requirement: at 3 bits (weights ±3, activations 8 levels, the int8 scheme's
  /// rules otherwise) post-training quantization drops the test accuracy from 1.0 to 0.86;
  /// four epochs of quantization-aware fine-tuning (same ranges) bring it to 0.93. (Across 2–8
  /// epochs and learning rates 0.001–0.01 the gain at 3 bits was 0.04–0.09 and at 2 bits up to
  /// 0.15; at 4 bits PTQ already keeps 0.97.)
  func testQuantizationAwareTrainingBeatsPostTrainingQuantizationAtThreeBits() throws {
    let setup = try Self.setup()
    let simulation = try QuantizationSimulation(graph: setup.graph, ranges: setup.ranges, bits: 3)
    let float = try setup.accuracy(setup.graph, nil)
    let ptq = try setup.accuracy(setup.graph, simulation)
    let qat = try setup.accuracy(try setup.fineTune(simulation, epochs: 4), simulation)
    XCTAssertGreaterThan(float, 0.95)
    XCTAssertLessThan(ptq, float - 0.05, "post-training quantization should lose accuracy at 3 bits")
    XCTAssertGreaterThan(qat, ptq + 0.04)
    XCTAssertGreaterThan(qat, 0.9)
  }

  /// The chain the quantize stage runs: fine-tune at 8 bits, quantize the fine-tuned graph with
  /// the same ranges (`int8`), evaluate with the integer executor. Its predictions are those of
  /// the simulation the model was tuned under (all 256 test images here).
  func testFineTunedGraphQuantizesToTheSimulatedModel() throws {
    let setup = try Self.setup()
    let simulation = try QuantizationSimulation(graph: setup.graph, ranges: setup.ranges, bits: 8)
    let tuned = try setup.fineTune(simulation, epochs: 1)
    let model = try SchemeQuantization.quantize(tuned, scheme: .int8, ranges: setup.ranges)
    let feed = ["image": setup.test.images]
    let integer = try XCTUnwrap(try SchemeQuantization.executor(for: model).run(inputs: feed)["logits"])
    let simulated = try XCTUnwrap(
      try QuantizationAwareTraining.simulate(tuned, simulation: simulation, inputs: feed)["logits"])
    XCTAssertEqual(integer.argmax(axis: 1), simulated.argmax(axis: 1))
    let step = try XCTUnwrap(model.table["logits"]).scale
    for (u, v) in zip(integer.scalars, simulated.scalars) { XCTAssertLessThanOrEqual(Double(abs(u - v)), step * 1.001) }
  }

  /// Fine-tuning goes through the resumable training loop: two epochs, then a new call asking
  /// for four with the same folder, give the weights of four epochs straight, bit for bit.
  func testFineTuningResumesBitIdentically() throws {
    let setup = try Self.setup()
    let simulation = try QuantizationSimulation(graph: setup.graph, ranges: setup.ranges, bits: 4)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qat-resume-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let straight = try setup.fineTune(simulation, epochs: 4)
    _ = try setup.fineTune(simulation, epochs: 2, directory: folder)
    let resumed = try setup.fineTune(simulation, epochs: 4, directory: folder)
    XCTAssertEqual(resumed.parameters, straight.parameters)
    XCTAssertNotEqual(resumed.parameters, setup.graph.parameters)
  }
}
