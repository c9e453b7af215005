import Autograd
import Graph
import GraphFixtures
import XCTest

@testable import GraphTraining

/// `convBatchNormChains()` (a pure analysis) and its use by the executor in inference and
/// training.
final class ConvFusionTests: XCTestCase {
  /// c1 → bn1 → leaky → 2×2/2 max pool (a chain with its activation and pool); c2 → bn2 →
  /// ReLU6 (a chain without: ReLU6 is not fusable); c3's value is also a graph output (no
  /// chain); c4 → ReLU (no BatchNorm); c5 read by a BatchNorm and a sigmoid (no chain);
  /// c6 → bn6 → ReLU (a chain with ReLU) → a 2×2 stride-1 max pool (not fused).
  func graph() throws -> ModelGraph {
    var b = GraphBuilder(name: "conv-fusion")
    func conv(_ name: String, _ input: String) throws -> String {
      try b.add(
        .conv, name, [input], ["outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    }
    let x = b.input("x", shape: [1, 3, 8, 8])
    let a1 = try b.add(.leakyRelu, "a1", [try b.add(.batchNorm, "bn1", [try conv("c1", x)])], ["alpha": .float(0.1)])
    let mp1 = try b.add(.maxPool, "mp1", [a1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let a2 = try b.add(.relu6, "a2", [try b.add(.batchNorm, "bn2", [try conv("c2", mp1)])])
    let c3 = try conv("c3", a2)
    let bn3 = try b.add(.batchNorm, "bn3", [c3])
    let a4 = try b.add(.relu, "a4", [try conv("c4", bn3)])
    let c5 = try conv("c5", a4)
    let sum = try b.add(.add, "sum", [try b.add(.batchNorm, "bn5", [c5]), try b.add(.sigmoid, "s5", [c5])])
    let a6 = try b.add(.relu, "a6", [try b.add(.batchNorm, "bn6", [try conv("c6", sum)])])
    b.output(c3)
    b.output(try b.add(.maxPool, "mp6", [a6], ["kernel": .ints([2, 2]), "stride": .ints([1, 1])]))
    return try b.finish()
  }

  func testChains() throws {
    XCTAssertEqual(
      try graph().convBatchNormChains(),
      [
        ConvBatchNormChain(
          conv: "c1", batchNorm: "bn1", activationNode: "a1", activation: .leakyRelu(0.1), maxPool: "mp1"),
        ConvBatchNormChain(conv: "c2", batchNorm: "bn2"),
        ConvBatchNormChain(conv: "c6", batchNorm: "bn6", activationNode: "a6", activation: .relu),
      ])
    XCTAssertEqual(
      try Fixtures.everyOp().convBatchNormChains(),
      [ConvBatchNormChain(conv: "c1", batchNorm: "bn1", activationNode: "r1", activation: .relu)])
  }

  /// A 2×2/2 max pool after a 1-pixel-wide map (a plain pool still returns one clipped window)
  /// is not fused: the epilogue pools whole windows only.
  func testPoolAfterAMapNarrowerThanTwoIsNotFused() throws {
    var b = GraphBuilder(name: "narrow")
    let x = b.input("x", shape: [1, 3, 1, 6])
    let c = try b.add(
      .conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let a = try b.add(.relu, "a", [try b.add(.batchNorm, "bn", [c])])
    b.output(try b.add(.maxPool, "mp", [a], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])]))
    XCTAssertEqual(
      try b.finish().convBatchNormChains(),
      [ConvBatchNormChain(conv: "c", batchNorm: "bn", activationNode: "a", activation: .relu)])
  }

  /// In inference without gradients the executor runs each chain as one step (one label for
  /// the `around` hook) and its outputs equal — to the bit — those of the same pass with
  /// gradient recording on, which runs every Conv and BatchNorm on its own.
  func testInferenceRunsChainsAsOneStepToTheBit() throws {
    let fixture = Fixtures.withValues(try graph())
    let options = BuildOptions(inputSize: [96, 96])
    let yolo = Fixtures.withValues(try ModelZoo.graph("tiny-yolo", options: options))
    for (g, expectedLabels) in [
      (
        fixture,
        [
          "Conv+BatchNorm+LeakyReLU+MaxPool", "Conv+BatchNorm", "ReLU6", "Conv", "BatchNorm", "Conv", "ReLU", "Conv",
          "BatchNorm", "Sigmoid", "Add", "Conv+BatchNorm+ReLU", "MaxPool",
        ]
      ), (yolo, nil),
    ] {
      let executor = try GraphExecutor(graph: g)
      let feeds = Fixtures.input(for: g, batch: 3).mapValues { Variable($0) }
      var labels: [String] = []
      let fused = withoutGradients {
        executor.forward(inputs: feeds, training: false) { label, step in
          labels.append(label)
          return step()
        }
      }
      var unfusedLabels: [String] = []
      let unfused = executor.forward(inputs: feeds, training: false) { label, step in
        unfusedLabels.append(label)
        return step()
      }
      if let expectedLabels { XCTAssertEqual(labels, expectedLabels) }
      let chains = g.convBatchNormChains().count
      XCTAssertGreaterThan(chains, 0, g.name)
      XCTAssertEqual(labels.filter { $0.hasPrefix("Conv+BatchNorm") }.count, chains, g.name)
      XCTAssertFalse(unfusedLabels.contains { $0.hasPrefix("Conv+") }, g.name)
      XCTAssertGreaterThan(labels.filter { $0.hasSuffix("+MaxPool") }.count, 0, g.name)
      XCTAssertEqual(Set(fused.keys), Set(g.outputs.map(\.name)))
      for (name, value) in fused {
        let reference = try XCTUnwrap(unfused[name]).value
        XCTAssertEqual(value.value.shape, reference.shape, "\(g.name) \(name)")
        XCTAssertEqual(value.value.scalars.map(\.bitPattern), reference.scalars.map(\.bitPattern), "\(g.name) \(name)")
      }
    }
  }

  /// A training pass runs each chain as one step too (the convolution, then BatchNorm and a
  /// 2×2 max pool as one op): its outputs, the running statistics it leaves and every
  /// parameter's gradient equal — to the bit — those of the same pass with every op on its own.
  func testTrainingRunsChainsAsOneStepToTheBit() throws {
    let options = BuildOptions(inputSize: [64, 64])
    for g in [Fixtures.withValues(try graph()), Fixtures.withValues(try ModelZoo.graph("tiny-yolo", options: options))]
    {
      func pass(fused: Bool) throws -> (labels: [String], outputs: [String: Tensor<Float>], rest: [Tensor<Float>]) {
        let executor = try GraphExecutor(graph: g)
        executor.fusesChains = fused
        let feeds = Fixtures.input(for: g, batch: 3).mapValues { Variable($0) }
        var labels: [String] = []
        let outputs = executor.forward(inputs: feeds, training: true) { label, step in
          labels.append(label)
          return step()
        }
        let terms = outputs.keys.sorted().compactMap { outputs[$0]?.squared().mean() }
        var total = try XCTUnwrap(terms.first)
        for t in terms.dropFirst() { total = total + t }
        total.backward()
        let stats = executor.batchNormStates.flatMap { [$0.state.runningMean, $0.state.runningVar] }
        let grads = executor.parameters.map { $0.variable.grad ?? Tensor(zeros: [0]) }
        return (labels, outputs.mapValues(\.value), stats + grads)
      }
      let (fused, unfused) = (try pass(fused: true), try pass(fused: false))
      XCTAssertEqual(
        fused.labels.filter { $0.hasPrefix("Conv+BatchNorm") }.count, g.convBatchNormChains().count, g.name)
      XCTAssertGreaterThan(fused.labels.filter { $0.hasSuffix("+MaxPool") }.count, 0, g.name)
      XCTAssertFalse(unfused.labels.contains { $0.hasPrefix("Conv+") }, g.name)
      XCTAssertEqual(Set(fused.outputs.keys), Set(unfused.outputs.keys))
      for (name, value) in fused.outputs {
        let reference = try XCTUnwrap(unfused.outputs[name])
        XCTAssertEqual(value.scalars.map(\.bitPattern), reference.scalars.map(\.bitPattern), "\(g.name) \(name)")
      }
      XCTAssertEqual(fused.rest.count, unfused.rest.count)
      for (k, (a, b)) in zip(fused.rest, unfused.rest).enumerated() {
        XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), "\(g.name) statistic/gradient \(k)")
      }
    }
  }
}
