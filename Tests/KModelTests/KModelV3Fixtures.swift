import Graph
import GraphFixtures
import KModel
import Quantization
import Tensors
import XCTest

/// Graphs, executors and the comparison of the V3 simulator with the executor.
enum V3Fixtures {
  /// conv3×3+leaky (72 wide: two 64-byte rows per image row) → maxpool → conv3×3/2+ReLU →
  /// depthwise 3×3/2+ReLU6 → conv1×1+leaky → upsample → concat with the stride-2 conv → conv3×3
  /// (output 1) → global average pool → flatten → dense → sigmoid (output 2).
  static func mixedGraph() throws -> ModelGraph {
    var b = GraphBuilder(name: "v3-mixed")
    let x = b.input("image", shape: [1, 3, 32, 72])
    let same3 = ["kernel": Attribute.ints([3, 3]), "padding": .ints([1, 1, 1, 1])]
    let c1 = try b.add(.conv, "c1", [x], same3.merging(["outChannels": .int(8)]) { $1 })
    let bn1 = try b.add(.batchNorm, "bn1", [c1])
    let l1 = try b.add(.leakyRelu, "l1", [bn1], ["alpha": .float(0.1)])
    let mp = try b.add(.maxPool, "mp", [l1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let c2 = try b.add(.conv, "c2", [mp], same3.merging(["outChannels": .int(16), "stride": .ints([2, 2])]) { $1 })
    let r2 = try b.add(.relu, "r2", [c2])
    let dw = try b.add(
      .conv, "dw", [r2], same3.merging(["outChannels": .int(16), "stride": .ints([2, 2]), "groups": .int(16)]) { $1 })
    let r6 = try b.add(.relu6, "r6", [dw])
    let c3 = try b.add(.conv, "c3", [r6], ["outChannels": .int(8), "kernel": .ints([1, 1])])
    let l3 = try b.add(.leakyRelu, "l3", [c3], ["alpha": .float(0.1)])
    let up = try b.add(.upsample, "up", [l3])
    let cat = try b.add(.concat, "cat", [up, r2])
    let c4 = try b.add(.conv, "c4", [cat], same3.merging(["outChannels": .int(12)]) { $1 })
    let g = try b.add(.globalAvgPool, "g", [c4])
    let fl = try b.add(.flatten, "fl", [g])
    let d = try b.add(.dense, "d", [fl], ["outFeatures": .int(5)])
    let s = try b.add(.sigmoid, "s", [d])
    b.output(c4)
    b.output(s)
    return try FoldBatchNorm.run(Fixtures.withValues(try b.finish(), seed: 11))
  }

  /// An executor calibrated on two seeded batches.
  static func executor(_ graph: ModelGraph, seed: UInt64 = 70) throws -> K210Executor {
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: seed + UInt64($0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    return try K210Executor(graph, ranges: ranges)
  }

  /// What a comparison found.
  struct Agreement {
    var codes = 0, codeMismatches = 0, floats = 0, maxFloatError: Float = 0, distinctCodes = 0
  }

  /// Runs the executor and the simulator of the written bytes on one seeded image and compares
  /// every KPU layer's uint8 codes (the executor's dequantized value quantized back, which is
  /// exact) and the model outputs.
  static func compare(_ executor: K210Executor, seed: UInt64) throws -> Agreement {
    let graph = executor.graph
    let input = Fixtures.input(for: graph, batch: 1, seed: seed)
    var values: [String: Tensor<Float>] = [:]
    let expected = try executor.run(inputs: input) { name, value in values[name] = value }
    let bytes = try KModelV3Writer.bytes(executor)
    let simulator = try KModelV3Simulator(bytes: bytes)
    let kpuNodes = graph.nodes.filter { executor.layers[$0.name] != nil }
    guard let firstLayer = executor.layers[graph.nodes[0].name] else { throw KModelError.badInput("no KPU layer") }
    let codes = try XCTUnwrap(input[graph.inputs[0].name]).scalars.map { firstLayer.quantized.input.quantize($0) }
    var convOutputs: [[UInt8]] = []
    let outputs = try simulator.run(codes) { index, output in
      if case .conv = simulator.model.layers[index], case let .codes(c) = output { convOutputs.append(c) }
    }
    var a = Agreement()
    a.distinctCodes = Set(convOutputs.joined()).count
    for (node, sim) in zip(kpuNodes, convOutputs) {
      guard let layer = executor.layers[node.name] else { continue }
      let value = layer.activation.flatMap { graph.node(named: $0)?.outputs[0] } ?? node.outputs[0]
      let exec = try XCTUnwrap(values[value]).scalars.map { layer.quantized.output.quantize($0) }
      guard exec.count == sim.count else { continue }  // the stride-1 half of a depthwise stride-2 layer
      a.codes += exec.count
      a.codeMismatches += zip(exec, sim).filter { $0 != $1 }.count
    }
    for (info, sim) in zip(graph.outputs, outputs) {
      let exec = try XCTUnwrap(expected[info.name]).scalars
      XCTAssertEqual(exec.count, sim.count)
      a.floats += exec.count
      for (e, s) in zip(exec, sim) { a.maxFloatError = max(a.maxFloatError, abs(e - s)) }
    }
    return a
  }
}
