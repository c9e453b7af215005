import Graph
import GraphFixtures
import KModel
import Quantization
import Tensors
import XCTest

/// A bit-for-bit comparison of the V3 simulator with the K210 executor that also covers KPU
/// layers run on maps padded to 4×4 (their output's top-left corner is the layer's output).
enum SmallMapFixtures {
  struct Exactness {
    /// KPU output codes compared and how many differ.
    var codes = 0, codeMismatches = 0
    /// KPU layers whose output the simulator computed on a padded map.
    var paddedLayers = 0
    /// Output floats compared bit for bit (outputs that are a KPU layer's codes dequantized by
    /// `DEQUANTIZE`) and how many differ.
    var floats = 0, floatMismatches = 0
    /// The simulator's outputs.
    var outputs: [[Float]] = []
  }

  /// Runs the executor and the simulator of the bytes written with `options` on one seeded image.
  static func compare(_ executor: K210Executor, options: KModelV3Options, seed: UInt64) throws -> Exactness {
    let graph = executor.graph
    let input = Fixtures.input(for: graph, batch: 1, seed: seed)
    var values: [String: Tensor<Float>] = [:]
    _ = try executor.run(inputs: input) { name, value in values[name] = value }
    let model = try KModelV3Writer.model(executor, options: options)
    let simulator = try KModelV3Simulator(bytes: try model.serialized(), upsampleFastPath: options.upsampleFastPath)
    let kpuNodes = graph.nodes.filter { executor.layers[$0.name] != nil }
    let first = try XCTUnwrap(executor.layers[graph.nodes[0].name])
    let codes = try XCTUnwrap(input[graph.inputs[0].name]).scalars.map { first.quantized.input.quantize($0) }
    var convs: [(argument: KPULayerArgument, codes: [UInt8])] = []
    var e = Exactness()
    e.outputs = try simulator.run(codes) { index, output in
      if case let .conv(c) = simulator.model.layers[index], case let .codes(out) = output {
        convs.append((c.argument, out))
      }
    }
    XCTAssertEqual(convs.count, kpuNodes.count)
    var outputParams: [String: K210QuantParam] = [:]
    for (node, sim) in zip(kpuNodes, convs) {
      let layer = try XCTUnwrap(executor.layers[node.name])
      let value = layer.activation.flatMap { graph.node(named: $0)?.outputs[0] } ?? node.outputs[0]
      outputParams[value] = layer.quantized.output
      let exec = try XCTUnwrap(values[value])
      let (oc, h, w) = (exec.shape[1], exec.shape[2], exec.shape[3])
      let (sh, sw) = (sim.argument.outputHeight, sim.argument.outputWidth)
      // a depthwise stride-2 layer runs at stride 1: its output is every second pixel
      let step = layer.quantized.layer.depthwise && layer.stride == 2 ? 2 : 1
      if (sh, sw) != (h * step, w * step) { e.paddedLayers += 1 }
      for c in 0..<oc {
        for y in 0..<h {
          for x in 0..<w {
            let want = layer.quantized.output.quantize(exec.scalars[(c * h + y) * w + x])
            e.codes += 1
            if sim.codes[(c * sh + y * step) * sw + x * step] != want { e.codeMismatches += 1 }
          }
        }
      }
    }
    for (info, sim) in zip(graph.outputs, e.outputs) {
      guard let param = outputParams[info.name] else { continue }
      let exec = try XCTUnwrap(values[info.name]).scalars
      XCTAssertEqual(exec.count, sim.count)
      for (x, s) in zip(exec, sim) {
        let expected = Float(param.quantize(x)) * param.scale + Float(-param.zeroPoint) * param.scale
        e.floats += 1
        if expected.bitPattern != s.bitPattern { e.floatMismatches += 1 }
      }
    }
    return e
  }

  /// conv3×3 (12×12) → max pool → max pool (3×3) → conv3×3 on 3×3 (CPU producer: padded upload)
  /// → conv1×1 (reads the padded map in KPU RAM) → conv3×3 (needs a clean pad: crop and pad
  /// again; output 1) and conv1×1 → upsample (6×6) → concat with the first pool → conv1×1
  /// (output 2).
  static func smallGraph() throws -> ModelGraph {
    var b = GraphBuilder(name: "v3-small-maps")
    let x = b.input("image", shape: [1, 3, 12, 12])
    let same3 = ["kernel": Attribute.ints([3, 3]), "padding": .ints([1, 1, 1, 1])]
    let one = ["kernel": Attribute.ints([1, 1])]
    func conv(_ name: String, _ input: String, _ oc: Int, _ attrs: [String: Attribute]) throws -> String {
      let c = try b.add(.conv, name, [input], attrs.merging(["outChannels": .int(oc)]) { $1 })
      return try b.add(.leakyRelu, name + "_act", [c], ["alpha": .float(0.1)])
    }
    let c1 = try conv("c1", x, 8, same3)
    let p1 = try b.add(.maxPool, "p1", [c1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let p2 = try b.add(.maxPool, "p2", [p1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let c2 = try conv("c2", p2, 16, same3)
    let c3 = try conv("c3", c2, 8, one)
    let c4 = try b.add(.conv, "c4", [c3], same3.merging(["outChannels": .int(6)]) { $1 })
    let c5 = try conv("c5", c3, 4, one)
    let up = try b.add(.upsample, "up", [c5])
    let cat = try b.add(.concat, "cat", [up, p1])
    let c6 = try b.add(.conv, "c6", [cat], one.merging(["outChannels": .int(5)]) { $1 })
    b.output(c4)
    b.output(c6)
    return try FoldBatchNorm.run(Fixtures.withValues(try b.finish(), seed: 12))
  }
}
