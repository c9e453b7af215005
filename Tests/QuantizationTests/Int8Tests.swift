import Foundation
import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// The int8 scheme: a hand-computed convolution, the integer kernel against a brute-force loop,
/// the exact relation between the integer and the fake-quant executors, and a zoo model.
final class Int8Tests: XCTestCase {
  /// One 1×1 conv with dyadic scales, so every number below is exact:
  /// input range [0, 255/128] → s_in = 1/128, z_in = 0; weights ±127/64 → s_w = 1/64, q_w = ±127;
  /// output range [−255/64, 255/64] → s_out = 1/32, z_out = round(127.5) = 128; M = 2⁻⁸.
  /// Inputs 1, 1/128, 0, 255/128 → codes 128, 1, 0, 255; acc = ±127·code = ±16256, ±127, 0, ±32385;
  /// acc·M = ±63.5 (a tie: away from zero, ±64), ±0.496, 0, ±126.504.
  func testHandComputedConvolutionWithTiesAwayFromZero() throws {
    let (graph, feed) = try handConv(relu: false)
    let model = try Int8Quantizer.quantize(
      graph, ranges: ["image": 0...(255.0 / 128), "c": (-255.0 / 64)...(255.0 / 64)])
    XCTAssertEqual(model.table["image"], TensorQuantization(scale: 1.0 / 128, zeroPoint: 0, elementType: .uint8))
    XCTAssertEqual(model.table["c"], TensorQuantization(scale: 1.0 / 32, zeroPoint: 128, elementType: .uint8))
    XCTAssertEqual(model.table["c.weight"]?.scales, [1.0 / 64, 1.0 / 64])
    XCTAssertEqual(model.graph.parameters["c.weight"]?.data, .int8(Tensor(shape: [2, 1, 1, 1], scalars: [127, -127])))
    let codes = try IntegerExecutor(model).runCodes(inputs: feed)
    XCTAssertEqual(codes["image"]?.scalars, [128, 1, 0, 255])
    XCTAssertEqual(codes["c"]?.scalars, [192, 128, 128, 255, 64, 128, 128, 1])
    // the fake-quant executor gives the same values here: the float arithmetic is exact
    let fq = try FakeQuantExecutor(model).run(inputs: feed)
    XCTAssertEqual(fq["c"]?.scalars, [192, 128, 128, 255, 64, 128, 128, 1].map { (Float($0) - 128) / 32 })
  }

  /// The same conv with a fused ReLU: the conv requantizes into the ReLU's format
  /// [0, 255/64] → s = 1/64, z = 0, M = 2⁻⁷, and clamps at z: codes round(acc/128) ≥ 0.
  func testFusedReLURequantizesIntoTheActivationFormat() throws {
    let (graph, feed) = try handConv(relu: true)
    let model = try Int8Quantizer.quantize(
      graph, ranges: ["image": 0...(255.0 / 128), "c": (-255.0 / 64)...(255.0 / 64), "r": 0...(255.0 / 64)])
    XCTAssertEqual(model.fusedActivations, ["c": "r"])
    XCTAssertNil(model.table["c"])
    let codes = try IntegerExecutor(model).runCodes(inputs: feed)
    XCTAssertEqual(codes["r"]?.scalars, [127, 1, 0, 253, 0, 0, 0, 0])
  }

  /// Every conv of the test network (grouped, depthwise with stride, dilated with asymmetric
  /// padding) against a direct loop over output pixels and taps written here.
  func testIntegerConvolutionMatchesABruteForceLoop() throws {
    let (model, feed) = try quantizedNetwork()
    let executor = try IntegerExecutor(model)
    let codes = try executor.runCodes(inputs: feed)
    var checked = 0
    for node in model.graph.nodes where node.op == .conv {
      let x = try XCTUnwrap(codes[node.inputs[0]])
      XCTAssertEqual(try executor.evaluate(node, inputs: [x]).scalars, bruteForceConv(node, x, model), node.name)
      checked += 1
    }
    XCTAssertEqual(checked, 4)
  }

  /// The relation between the executors, node by node: fed the same (dequantized) inputs, the
  /// fake-quant output quantized in the node's format equals the integer output within 1 LSB,
  /// and differs in under 1 % of elements (float summation and the 31-bit multiplier only
  /// matter within float error of a rounding tie); max pool, upsample, flatten, unfused ReLU
  /// and the sigmoid island agree exactly.
  func testIntegerAndFakeQuantExecutorsAgreeWithinOneLSBPerNode() throws {
    let (model, feed) = try quantizedNetwork()
    let codes = try IntegerExecutor(model).runCodes(inputs: feed)
    let fq = FakeQuantExecutor(model)
    var differing = 0, total = 0
    let exact: Set<OpKind> = [.maxPool, .upsample, .flatten, .relu, .sigmoid]
    for node in model.graph.nodes {
      let inputs = try node.inputs.map { name -> Tensor<Float> in
        let q = try XCTUnwrap(model.codeFormat(of: name))
        return try XCTUnwrap(codes[name]).map { q.dequantize(Int($0)) }
      }
      let format = try XCTUnwrap(model.table[model.storedOutput(of: node)])
      let y = try fq.evaluate(node, inputs: inputs).scalars.map { format.quantize($0) }
      let integer = try XCTUnwrap(codes[node.outputs[0]]).scalars.map(Int.init)
      let diffs = zip(y, integer).map { abs($0 - $1) }
      XCTAssertLessThanOrEqual(diffs.max() ?? 0, 1, node.name)
      if exact.contains(node.op) { XCTAssertEqual(diffs.max() ?? 0, 0, node.name) }
      differing += diffs.filter { $0 != 0 }.count
      total += diffs.count
    }
    XCTAssertLessThan(Double(differing), 0.01 * Double(total))
  }

  /// The integer executor against float, per tensor, and the report's numbers recomputed here
  /// for the graph output.
  func testDiagnosticsMeasureTheIntegerExecutorAgainstFloat() throws {
    let (graph, batches) = try network()
    let model = try Int8Quantizer.quantize(
      graph,
      ranges: try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings()))
    let report = try QuantizationDiagnostics.measure(floatGraph: graph, model: model, batches: batches)
    XCTAssertEqual(report.tensors.first?.tensor, "image")
    for entry in report.tensors {
      XCTAssertGreaterThan(entry.cosine, 0.98, entry.tensor)
      XCTAssertGreaterThan(entry.sqnr ?? .infinity, 15, entry.tensor)
    }
    var xx = 0.0, ee = 0.0, xy = 0.0, yy = 0.0, worst = 0.0
    for batch in batches {
      let x = try XCTUnwrap(graph.evaluate(inputs: batch)["sg"]).scalars
      let y = try XCTUnwrap(IntegerExecutor(model).run(inputs: batch)["sg"]).scalars
      for (a, b) in zip(x, y) {
        let (u, v) = (Double(a), Double(b))
        xx += u * u; yy += v * v; xy += u * v; ee += (u - v) * (u - v); worst = max(worst, abs(u - v))
      }
    }
    let entry = try XCTUnwrap(report["sg"])
    XCTAssertEqual(try XCTUnwrap(entry.sqnr), 10 * log10(xx / ee), accuracy: 1e-9)
    XCTAssertEqual(entry.cosine, xy / (xx * yy).squareRoot(), accuracy: 1e-12)
    XCTAssertEqual(entry.maxAbsError, worst, accuracy: 1e-12)
    let decoded = try JSONDecoder().decode(QuantizationReport.self, from: JSONEncoder().encode(report))
    XCTAssertEqual(decoded, report)
    let model2 = try JSONDecoder().decode(QuantizedModel.self, from: JSONEncoder().encode(model))
    XCTAssertEqual(model2, model)
  }

  /// A zoo network (mobilenet-tiny: depthwise separable blocks, global average pooling, dense
  /// logits) with random weights, BatchNorm folded, calibrated and run in integers.
  func testZooMobileNetRunsInIntegersCloseToFloat() throws {
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny")))
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(20 + $0)) }
    let ranges = try Calibrator.ranges(
      try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings(method: .percentile))
    let model = try Int8Quantizer.quantize(graph, ranges: ranges)
    XCTAssertFalse(model.fusedActivations.isEmpty)
    let x = try XCTUnwrap(graph.evaluate(inputs: batches[0])["logits"]).scalars
    let y = try XCTUnwrap(IntegerExecutor(model).run(inputs: batches[0])["logits"]).scalars
    let dot = zip(x, y).map { Double($0) * Double($1) }.reduce(0, +)
    let norms = (x.map { Double($0 * $0) }.reduce(0, +) * y.map { Double($0 * $0) }.reduce(0, +)).squareRoot()
    XCTAssertGreaterThan(dot / norms, 0.9)
  }

  func testMissingRangeIsASentence() throws {
    let (graph, _) = try handConv(relu: false)
    XCTAssertThrowsError(try Int8Quantizer.quantize(graph, ranges: ["image": 0...1])) { error in
      XCTAssertEqual(
        "\(error)", "Graph 'hand': value 'c' has no calibrated range (calibrate the same graph that is quantized).")
    }
  }

  // MARK: - fixtures

  private func handConv(relu: Bool) throws -> (ModelGraph, [String: Tensor<Float>]) {
    var b = GraphBuilder(name: "hand")
    let x = b.input("image", shape: [1, 1, 2, 2])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    if relu {
      let r = try b.add(.relu, "r", [c])
      b.output(r)
    } else {
      b.output(c)
    }
    var graph = try b.finish()
    graph.parameters["c.weight"]?.value = Tensor(shape: [2, 1, 1, 1], scalars: [127.0 / 64, -127.0 / 64])
    graph.parameters["c.bias"]?.value = Tensor(shape: [2], scalars: [0, 0])
    return (graph, ["image": Tensor(shape: [1, 1, 2, 2], scalars: [1, 1.0 / 128, 0, 255.0 / 128])])
  }

  /// The shared network using every op the int8 executor implements natively.
  private func network() throws -> (ModelGraph, [[String: Tensor<Float>]]) {
    try QuantizationNetworks.int8Ops(name: "int8-ops")
  }

  private func quantizedNetwork() throws -> (QuantizedModel, [String: Tensor<Float>]) {
    let (graph, batches) = try network()
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    return (try Int8Quantizer.quantize(graph, ranges: ranges), Fixtures.input(for: graph, batch: 2, seed: 99))
  }

  /// y[n, o, i, j] = clamp(z_out + round(M_o · (Σ w·(x − z_in) + b_o))) by direct indexing.
  private func bruteForceConv(_ node: Node, _ x: Tensor<UInt8>, _ model: QuantizedModel) -> [UInt8] {
    guard case let .int8(w)? = model.graph.parameters["\(node.name).weight"]?.data,
      let inQ = model.table[node.inputs[0]], let wQ = model.table["\(node.name).weight"],
      let outQ = model.table[model.storedOutput(of: node)]
    else { return [] }
    var bias = [Int](repeating: 0, count: w.shape[0])
    if case let .int32(b)? = model.graph.parameters["\(node.name).bias"]?.data { bias = b.scalars.map(Int.init) }
    let p = node.convParameters
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let (oh, ow) = p.outputSize(h: h, w: wd, kh: kh, kw: kw)
    var lo = 0, hi = 255
    if let act = model.fusedActivations[node.name], let a = model.graph.node(named: act) {
      lo = outQ.zeroPoint
      if a.op == .relu6 { hi = min(255, outQ.zeroPoint + Int((6 / outQ.scale).rounded())) }
    }
    var out: [UInt8] = []
    for s in 0..<n {
      for oc in 0..<o {
        let g = oc / (o / p.groups)
        let m = FixedPointMultiplier(inQ.scale * wQ.scales[oc] / outQ.scale)
        for i in 0..<oh {
          for j in 0..<ow {
            var acc = bias[oc]
            for ci in 0..<cg {
              for ki in 0..<kh {
                for kj in 0..<kw {
                  let yy = i * p.strideH - p.padTop + ki * p.dilationH,
                    xx = j * p.strideW - p.padLeft + kj * p.dilationW
                  guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
                  let xv = Int(x.scalars[((s * c + g * cg + ci) * h + yy) * wd + xx]) - inQ.zeroPoint
                  acc += xv * Int(w.scalars[((oc * cg + ci) * kh + ki) * kw + kj])
                }
              }
            }
            out.append(UInt8(min(max(outQ.zeroPoint + Int(m.apply(Int64(acc))), lo), hi)))
          }
        }
      }
    }
    return out
  }
}
