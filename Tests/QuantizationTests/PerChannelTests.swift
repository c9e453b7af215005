import Graph
import GraphFixtures
import Tensors
import XCTest

@testable import Quantization

/// Per-channel against per-tensor weight scales on a layer whose output channels have very
/// different ranges (issue #13, §7): per tensor, the small channel gets a handful of codes.
final class PerChannelTests: XCTestCase {
  func testPerChannelScalesKeepASmallChannelThatPerTensorScalesCrush() throws {
    var b = GraphBuilder(name: "ranges")
    let x = b.input("image", shape: [1, 4, 6, 6])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(2), "kernel": .ints([1, 1]), "bias": .bool(false)])
    b.output(c)
    var graph = try b.finish()
    // channel 0 weights span ±10, channel 1 weights ±0.05: a 200× range difference
    graph.parameters["c.weight"]?.value = Tensor(
      shape: [2, 4, 1, 1], scalars: [10, -7.5, 3.3, -10, 0.05, -0.031, 0.017, 0.044])
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(50 + $0)) }
    let ranges = try Calibrator.ranges(
      try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings(method: .minmax))

    let perChannel = try SchemeQuantization.quantize(graph, scheme: .int8, ranges: ranges)
    let perTensor = try SchemeQuantization.quantize(
      graph, scheme: .int8, ranges: ranges, options: QuantizationOptions(perChannel: false))
    // hand-computed scales: max|W_o| / 127 per channel, max|W| / 127 shared
    let wc = try XCTUnwrap(perChannel.table["c.weight"]), wt = try XCTUnwrap(perTensor.table["c.weight"])
    XCTAssertEqual(wc.scales[0], 10.0 / 127, accuracy: 1e-12)
    XCTAssertEqual(wc.scales[1], Double(Float(0.05)) / 127, accuracy: 1e-12)
    XCTAssertEqual(wt.scales, [10.0 / 127, 10.0 / 127])
    // per tensor, channel 1's weights round to 0.05·127/10 = 0.635 → 1, −0.39 → 0, 0.216 → 0, 0.56 → 1
    guard case .int8(let q)? = perTensor.graph.parameters["c.weight"]?.data else { return XCTFail("int8 weights") }
    XCTAssertEqual(Array(q.scalars[4...]), [1, 0, 0, 1])

    // the small channel's weights as the integer executor sees them (codes × scale): per tensor
    // the error is as large as the weights themselves, per channel it is below 1 %
    func channelSQNR(_ model: QuantizedModel) throws -> Double {
      guard case .int8(let codes)? = model.graph.parameters["c.weight"]?.data,
        let w = graph.parameters["c.weight"]?.value, let f = model.table["c.weight"]
      else { throw XCTSkip("no int8 weights") }
      var signal = 0.0, noise = 0.0
      for i in 4..<8 {
        let real = Double(w.scalars[i]), restored = Double(f.dequantize(Int(codes.scalars[i]), channel: 1))
        (signal, noise) = (signal + real * real, noise + (real - restored) * (real - restored))
      }
      return 10 * log10(signal / noise)
    }
    let sqnrChannel = try channelSQNR(perChannel), sqnrTensor = try channelSQNR(perTensor)
    XCTAssertLessThan(sqnrTensor, 10, "per-tensor SQNR of the small channel's weights")
    XCTAssertGreaterThan(sqnrChannel, 40, "per-channel SQNR of the small channel's weights")
    // and the layer's outputs follow: channel 1's outputs (before output quantization, which is
    // per tensor in both) are exact multiples of the restored weights, so the fake-quant outputs
    // of the per-tensor model are far from float where the per-channel ones are close
    let reference = try XCTUnwrap(ValueTrace.run(graph, inputs: batches[0])["c"]).scalars
    func outputError(_ model: QuantizedModel) throws -> Double {
      let y = try XCTUnwrap(FakeQuantExecutor(model).run(inputs: batches[0])["c"]).scalars
      var worst = 0.0
      for n in 0..<2 {
        for i in 0..<36 {
          let k = (n * 2 + 1) * 36 + i
          worst = max(worst, Double(abs(reference[k] - y[k])))
        }
      }
      return worst
    }
    XCTAssertLessThanOrEqual(try outputError(perChannel), try outputError(perTensor))
  }
}
