import Foundation
import Graph
import GraphFixtures
import KModel
import Quantization
import Tensors
import XCTest

/// Graphs for the V5 writer and the comparison of the V5 simulator with the executor.
enum V5Fixtures {
  /// conv3×3+ReLU (3→8, 16×16) → maxpool 2×2 → conv3×3/2+leaky (8→8, 4×4) → conv1×1 → upsample
  /// ×2 → concat with the max pool's output → conv3×3 (output 1, 8×8); and from the first conv a
  /// depthwise 3×3/2+ReLU6 (KPU at stride 1, then a CPU slice) → conv1×1 (output 2, 8×8).
  static func cpuOpsGraph() throws -> ModelGraph {
    var b = GraphBuilder(name: "v5-cpu-ops")
    let x = b.input("image", shape: [1, 3, 16, 16])
    let same3 = ["kernel": Attribute.ints([3, 3]), "padding": .ints([1, 1, 1, 1])]
    let c1 = try b.add(.conv, "c1", [x], same3.merging(["outChannels": .int(8)]) { $1 })
    let r1 = try b.add(.relu, "r1", [c1])
    let mp = try b.add(.maxPool, "mp", [r1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let c2 = try b.add(.conv, "c2", [mp], same3.merging(["outChannels": .int(8), "stride": .ints([2, 2])]) { $1 })
    let l2 = try b.add(.leakyRelu, "l2", [c2], ["alpha": .float(0.1)])
    let c3 = try b.add(.conv, "c3", [l2], ["outChannels": .int(4), "kernel": .ints([1, 1])])
    let up = try b.add(.upsample, "up", [c3])
    let cat = try b.add(.concat, "cat", [up, mp])
    b.output(try b.add(.conv, "c4", [cat], same3.merging(["outChannels": .int(6)]) { $1 }))
    let dw = try b.add(
      .conv, "dw", [r1], same3.merging(["outChannels": .int(8), "stride": .ints([2, 2]), "groups": .int(8)]) { $1 })
    let r6 = try b.add(.relu6, "r6", [dw])
    b.output(try b.add(.conv, "c5", [r6], ["outChannels": .int(5), "kernel": .ints([1, 1])]))
    return Fixtures.withValues(try b.finish(), seed: 13)
  }

  /// tiny-yolo-shapes at width 0.5 and 128×128 with seeded weights (BatchNorm folded).
  static func tinyYOLO(size: Int = 128) throws -> ModelGraph {
    try FoldBatchNorm.run(
      Fixtures.withValues(
        try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: 0.5, inputSize: [size, size])), seed: 21))
  }

  /// mobilenet-tiny (32×32×1, 10 classes; depthwise stride-2 blocks, global average pooling and
  /// a dense classifier) with seeded weights (BatchNorm folded).
  static func mobilenetTiny() throws -> ModelGraph {
    try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny", options: BuildOptions()), seed: 23))
  }

  /// The SqueezeNet-1.1 face descriptor (squeezenet1.1-reid, the zoo model of faceid.json) at
  /// width 0.25 and 32×32 with its descriptor L2-normalised (an `l2norm` layer after the
  /// flatten), seeded weights, BatchNorm folded. Its valid-padded stride-2 conv1 runs on the KPU
  /// and is sliced; fire6/fire7 work on 3×3 maps and fire9–fire12 on 1×1 maps (padded to 4×4);
  /// fire4 and fire7 feed max pools and fire12 the global average pooling through their concats.
  static func squeezeNetDescriptor() throws -> ModelGraph {
    let text = try ModelZoo.definitionText("squeezenet1.1-reid")
    guard var root = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      var layers = root["layers"] as? [[String: Any]], var last = layers.popLast()
    else { throw KModelError.badInput("the squeezenet1.1-reid definition has no layers") }
    last["name"] = "features"
    last["output"] = nil
    layers += [last, ["type": "l2norm", "name": "descriptor", "output": "descriptor"]]
    root["layers"] = layers
    let edited = String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
    let graph = try ModelDefinition.parse(edited, origin: "squeezenet1.1-reid + l2norm")
      .build(BuildOptions(width: 0.25, inputSize: [32, 32]))
    return try FoldBatchNorm.run(Fixtures.withValues(graph, seed: 31))
  }

  /// conv3×3+ReLU (3→8) on 8×8 → max pool 4×4/4 → 2×2 maps: conv3×3+leaky (8→8), conv1×1+ReLU
  /// (8→8) → conv3×3 (8→4) output, and a depthwise 3×3/2 (2×2 → 1×1) → conv1×1 (8→5) output; the
  /// 2×2 and 1×1 layers run on maps padded to 4×4.
  static func smallMapsGraph() throws -> ModelGraph {
    var b = GraphBuilder(name: "v5-small-maps")
    let x = b.input("image", shape: [1, 3, 8, 8])
    let same3 = ["kernel": Attribute.ints([3, 3]), "padding": .ints([1, 1, 1, 1])]
    let c1 = try b.add(.conv, "c1", [x], same3.merging(["outChannels": .int(8)]) { $1 })
    let mp = try b.add(
      .maxPool, "mp", [try b.add(.relu, "r1", [c1])], ["kernel": .ints([4, 4]), "stride": .ints([4, 4])])
    let c2 = try b.add(.conv, "c2", [mp], same3.merging(["outChannels": .int(8)]) { $1 })
    let c3 = try b.add(
      .conv, "c3", [try b.add(.leakyRelu, "l2", [c2], ["alpha": .float(0.1)])],
      ["outChannels": .int(8), "kernel": .ints([1, 1])])
    b.output(try b.add(.conv, "c4", [try b.add(.relu, "r3", [c3])], same3.merging(["outChannels": .int(4)]) { $1 }))
    let dw = try b.add(
      .conv, "dw", [mp], same3.merging(["outChannels": .int(8), "stride": .ints([2, 2]), "groups": .int(8)]) { $1 })
    b.output(try b.add(.conv, "c5", [dw], ["outChannels": .int(5), "kernel": .ints([1, 1])]))
    return Fixtures.withValues(try b.finish(), seed: 17)
  }

  /// A seeded input whose values are dequantized codes of the first KPU layer's input format,
  /// so that nncase's QUANTIZE (x · (1/scale) + z) and the executor's (x / scale + z) agree.
  static func input(_ executor: K210Executor, seed: UInt64) throws -> Tensor<Float> {
    let graph = executor.graph
    guard let first = graph.nodes.first(where: { executor.layers[$0.name] != nil }),
      let layer = executor.layers[first.name]
    else { throw KModelError.badInput("no KPU layer") }
    var rng = RandomStream(seed: seed)
    let shape = graph.inputs[0].shape
    let raw = Tensor<Float>.uniform(shape, low: 0, high: 256, rng: &rng)
    return Tensor(
      shape: shape, scalars: raw.scalars.map { layer.quantized.input.dequantize(UInt8(min(255, Int($0)))) })
  }

  struct Agreement {
    var codes = 0, codeMismatches = 0, maxFloatError: Float = 0, distinctCodes = 0
  }

  /// Runs the executor and the V5 simulator of the written bytes on one seeded input and
  /// compares each output's uint8 codes (the output format's quantization of either float) and
  /// floats.
  static func compare(_ executor: K210Executor, seed: UInt64) throws -> Agreement {
    let graph = executor.graph
    let x = try input(executor, seed: seed)
    let expected = try executor.run(inputs: [graph.inputs[0].name: x])
    let simulator = try KModelV5Simulator(bytes: try KModelV5Writer.bytes(executor))
    let outputs = try simulator.run(x.scalars)
    var a = Agreement()
    var seen = Set<UInt8>()
    for (info, sim) in zip(graph.outputs, outputs) {
      let exec = try XCTUnwrap(expected[info.name]).scalars
      let producer = try XCTUnwrap(graph.nodes.first { $0.outputs[0] == info.name })
      XCTAssertEqual(exec.count, sim.count)
      for (e, s) in zip(exec, sim) {
        // a KPU layer's output: compare codes; a float layer's (dense): floats only
        if let q = executor.layers[producer.name]?.quantized.output {
          let (ce, cs) = (q.quantize(e), q.quantize(s))
          a.codes += 1
          if ce != cs { a.codeMismatches += 1 }
          seen.insert(cs)
        }
        a.maxFloatError = max(a.maxFloatError, abs(e - s))
      }
    }
    a.distinctCodes = seen.count
    return a
  }
}
