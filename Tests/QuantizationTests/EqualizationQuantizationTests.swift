import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// Why cross-layer equalisation is a quantization option: with one weight scale per tensor, a
/// depthwise layer whose channel ranges differ by 3000× (and whose next layer weighs every
/// channel alike) loses its small channels to rounding: the per-tensor int8 model's output SQNR
/// is 3.5 dB; after equalisation it is 39 dB.
final class EqualizationQuantizationTests: XCTestCase {
  func testEqualizationImprovesPerTensorQuantization() throws {
    var b = GraphBuilder(name: "dwsep")
    let x = b.input("x", shape: [1, 4, 10, 10])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(6), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let r1 = try b.add(.relu, "r1", [c1])
    let dw = try b.add(
      .conv, "dw", [r1],
      ["outChannels": .int(6), "kernel": .ints([3, 3]), "groups": .int(6), "padding": .ints([1, 1, 1, 1])])
    let r2 = try b.add(.relu, "r2", [dw])
    b.output(try b.add(.conv, "pw", [r2], ["outChannels": .int(5), "kernel": .ints([1, 1])]))
    var graph = Fixtures.withValues(try b.finish(), seed: 12)
    // channel ranges of the depthwise layer as BatchNorm folding can leave them in MobileNets,
    // with the next layer reading every channel at the same weight (so each matters equally)
    let gains: [Float] = [0.01, 1, 30, 0.2, 5, 0.05]
    if var w = graph.parameters["dw.weight"]?.value, var bias = graph.parameters["dw.bias"]?.value,
      var next = graph.parameters["pw.weight"]?.value
    {
      for i in 0..<w.count { w.scalars[i] *= gains[i / 9] }
      for o in 0..<6 { bias.scalars[o] *= gains[o] }
      for i in 0..<next.count { next.scalars[i] /= gains[i % 6] }
      graph.parameters["dw.weight"]?.value = w
      graph.parameters["dw.bias"]?.value = bias
      graph.parameters["pw.weight"]?.value = next
    }
    let equalized = try CrossLayerEqualization.run(graph)
    let batches = (0..<3).map { Fixtures.input(for: graph, batch: 4, seed: UInt64(70 + $0)) }
    let options = QuantizationOptions(perChannel: false)
    func sqnr(_ g: ModelGraph) throws -> Double {
      let ranges = try Calibrator.ranges(try Calibrator.collect(g, batches: batches), settings: CalibrationSettings())
      let model = try SchemeQuantization.quantize(g, scheme: .int8, ranges: ranges, options: options)
      let executor = try SchemeQuantization.executor(for: model)
      var signal = 0.0, noise = 0.0
      for batch in batches {
        // the reference is the original float graph: equalisation must not move it
        let reference = try XCTUnwrap(graph.evaluate(inputs: batch)["pw"]).scalars
        let y = try XCTUnwrap(executor.run(inputs: batch)["pw"]).scalars
        for (u, v) in zip(reference, y) {
          signal += Double(u) * Double(u)
          noise += (Double(u) - Double(v)) * (Double(u) - Double(v))
        }
      }
      return 10 * log10(signal / noise)
    }
    let before = try sqnr(graph), after = try sqnr(equalized)
    XCTAssertLessThan(before, 10)
    XCTAssertGreaterThan(after, 30)
  }
}
