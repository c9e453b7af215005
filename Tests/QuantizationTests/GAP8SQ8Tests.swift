import Foundation
import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// The `gap8-sq8` scheme: the uint8 multiplier encoding, a hand-computed convolution with ties
/// at ±½, the relation to the fake-quant executor, and a zoo model.
final class GAP8SQ8Tests: XCTestCase {
  /// NNTool's `Scale`/`ScaleN` encoding worked by hand: 3·2⁻¹⁰ = 0.75·2⁻⁸ → ⌊0.75·2⁸ + ½⌋ = 192,
  /// even, halved down to 3 with shift 2 + 8 = 10; 0.3 = 0.6·2⁻¹ → 154 (even) → 77, shift 8;
  /// with 4 bits: 10 (even) → 5, shift 4; 0.999 → 256 overflows 8 bits, then halves to 1, shift 0;
  /// 1 is (1, 0). AT_SCALE(−10, 77, 8) = ⌊(−770 + 128)/256⌋ = −3; AT_SCALE(512, 3, 10) = ⌊2048/1024⌋ = 2
  /// and AT_SCALE(−512, 3, 10) = −1 (ties up).
  func testMultiplierEncodingAndRounding() {
    XCTAssertEqual(SQ8Multiplier(3 * 0x1p-10), SQ8Multiplier.with(3, 10))
    XCTAssertEqual(SQ8Multiplier(0.3), SQ8Multiplier.with(77, 8))
    XCTAssertEqual(SQ8Multiplier(0.3, availableBits: 4), SQ8Multiplier.with(5, 4))
    XCTAssertEqual(SQ8Multiplier(0.999), SQ8Multiplier.with(1, 0))
    XCTAssertEqual(SQ8Multiplier(1), SQ8Multiplier.with(1, 0))
    XCTAssertEqual(SQ8Multiplier(0.3).apply(-10), -3)
    XCTAssertEqual(SQ8Multiplier(3 * 0x1p-10).apply(512), 2)
    XCTAssertEqual(SQ8Multiplier(3 * 0x1p-10).apply(-512), -1)
  }

  /// One 1×1 conv, two output channels, with dyadic scales so every number is exact:
  /// input range [−1, 127/128] → s_in = max((127/128)/127, 1/128) = 2⁻⁷; weights ±381·2⁻⁸ →
  /// s_w = 3·2⁻⁸, codes ±127; output range [−4, 127/32] → s_out = 2⁻⁵;
  /// M = 2⁻⁷·3·2⁻⁸/2⁻⁵ = 3·2⁻¹⁰ → (Scale 3, ScaleN 10); biases ±3·2⁻¹³ = ±4·s_in·s_w → ±4.
  /// Inputs 2⁻⁵, 0, 127/128, −1 → codes 4, 0, 127, −128; acc = ±(127·code) ± 4:
  /// channel 0: 512, 4, 16133, −16252 → AT_SCALE: 1.5 → 2, 0.01 → 0, 47.26 → 47, −47.61 → −48;
  /// channel 1: −512 → −1.5 → −1 (tie up), 0, −47, 48. The fake-quant executor rounds the real
  /// −1.5 away from zero to −2: the one place they differ, by 1 LSB.
  func testHandComputedConvolution() throws {
    var b = GraphBuilder(name: "hand")
    let x = b.input("image", shape: [1, 1, 2, 2])
    b.output(try b.add(.conv, "c", [x], ["outChannels": .int(2), "kernel": .ints([1, 1])]))
    var graph = try b.finish()
    graph.parameters["c.weight"]?.value = Tensor(shape: [2, 1, 1, 1], scalars: [381 * 0x1p-8, -381 * 0x1p-8])
    graph.parameters["c.bias"]?.value = Tensor(shape: [2], scalars: [3 * 0x1p-13, -3 * 0x1p-13])
    let model = try SchemeQuantization.quantize(
      graph, scheme: .gap8Sq8, ranges: ["image": -1...(127.0 / 128), "c": -4...(127.0 / 32)])
    XCTAssertEqual(model.table["image"], TensorQuantization(scale: 0x1p-7, zeroPoint: 0, elementType: .int8))
    XCTAssertEqual(model.table["c"], TensorQuantization(scale: 0x1p-5, zeroPoint: 0, elementType: .int8))
    XCTAssertEqual(model.table["c.weight"]?.scales, [3 * 0x1p-8, 3 * 0x1p-8])
    XCTAssertEqual(model.graph.parameters["c.weight"]?.data, .int8(Tensor(shape: [2, 1, 1, 1], scalars: [127, -127])))
    XCTAssertEqual(model.graph.parameters["c.bias"]?.data, .int32(Tensor(shape: [2], scalars: [4, -4])))
    let feed = ["image": Tensor<Float>(shape: [1, 1, 2, 2], scalars: [0x1p-5, 0, 127.0 / 128, -1])]
    let codes = try SQ8Executor(model).runCodes(inputs: feed)
    XCTAssertEqual(codes["image"]?.scalars, [4, 0, 127, -128])
    XCTAssertEqual(codes["c"]?.scalars, [2, 0, 47, -48, -1, 0, -47, 48])
    let fq = try XCTUnwrap(FakeQuantExecutor(model).run(inputs: feed)["c"])
    XCTAssertEqual(fq.scalars.map { Int(($0 * 32).rounded()) }, [2, 0, 47, -48, -2, 0, -47, 48])
  }

  /// A fused ReLU6 requantizes into the activation's format and clamps at 0 and ⌊6/s + ½⌋:
  /// with s = 2⁻⁴ the bound is 96, so 6.5 (104 before the clamp) gives 96.
  func testFusedReLU6ClampsAtSix() throws {
    var b = GraphBuilder(name: "r6")
    let x = b.input("image", shape: [1, 1, 1, 3])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(1), "kernel": .ints([1, 1]), "bias": .bool(false)])
    b.output(try b.add(.relu6, "r", [c]))
    var graph = try b.finish()
    graph.parameters["c.weight"]?.value = Tensor(shape: [1, 1, 1, 1], scalars: [1])
    let model = try SchemeQuantization.quantize(
      graph, scheme: .gap8Sq8, ranges: ["image": -8...(127.0 / 16), "c": -8...8, "r": 0...(127.0 / 16)])
    XCTAssertEqual(model.fusedActivations, ["c": "r"])
    let feed = ["image": Tensor<Float>(shape: [1, 1, 1, 3], scalars: [6.5, -1, 2.25])]
    XCTAssertEqual(try SQ8Executor(model).runCodes(inputs: feed)["r"]?.scalars, [96, 0, 36])
  }

  /// Every conv and the dense layer of the test network on the offset uint8 GEMM path against a
  /// direct loop: clamp(clip8(AT_SCALE(bias + Σ w·x, Scale_o, ScaleN_o))) per output channel.
  func testIntegerLayersMatchADirectLoop() throws {
    let (graph, batches) = try network()
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .gap8Sq8, ranges: ranges)
    let executor = try SQ8Executor(model)
    let codes = try executor.runCodes(inputs: Fixtures.input(for: graph, batch: 2, seed: 98))
    var checked = 0
    for node in model.graph.nodes where node.op == .conv || node.op == .dense {
      let x = try XCTUnwrap(codes[node.inputs[0]])
      XCTAssertEqual(try executor.evaluate(node, inputs: [x]).scalars, try directLayer(node, x, model), node.name)
      checked += 1
    }
    XCTAssertEqual(checked, 5)
  }

  /// The relation to the fake-quant executor, node by node on the same (dequantized) inputs:
  /// with 8-bit multipliers every layer, leaky ReLU, concat and pool agree within 1 LSB (conv
  /// and dense nearly always exactly), an add — two rescaled terms, each within 1 — within 2;
  /// moves, ReLUs and the sigmoid island exactly.
  func testIntegerAndFakeQuantExecutorsAgreeAsStated() throws {
    let (graph, batches) = try network()
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .gap8Sq8, ranges: ranges)
    let feed = Fixtures.input(for: graph, batch: 2, seed: 99)
    let codes = try SQ8Executor(model).runCodes(inputs: feed)
    let fq = FakeQuantExecutor(model)
    let exact: Set<OpKind> = [.maxPool, .upsample, .flatten, .relu, .sigmoid]
    var differing = 0, total = 0
    for node in model.graph.nodes {
      let inputs = try node.inputs.map { name -> Tensor<Float> in
        let q = try XCTUnwrap(model.codeFormat(of: name))
        return try XCTUnwrap(codes[name]).map { q.dequantize(Int($0)) }
      }
      let format = try XCTUnwrap(model.table[model.storedOutput(of: node)])
      let y = try fq.evaluate(node, inputs: inputs).scalars.map { format.quantize($0) }
      let integer = try XCTUnwrap(codes[node.outputs[0]]).scalars.map(Int.init)
      let worst = zip(y, integer).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThanOrEqual(worst, node.op == .add ? 2 : 1, node.name)
      if exact.contains(node.op) { XCTAssertEqual(worst, 0, node.name) }
      if node.op == .conv || node.op == .dense {
        differing += zip(y, integer).filter { $0 != $1 }.count
        total += y.count
      }
    }
    XCTAssertLessThan(Double(differing), 0.05 * Double(total))
  }

  /// A zoo network in SQ8 tracks float (per-channel and per-tensor weights), and the options
  /// SQ8 cannot honour are sentences.
  func testZooNetworkRunsCloseToFloat() throws {
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny")))
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(20 + $0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let x = try XCTUnwrap(graph.evaluate(inputs: batches[0])["logits"])
    for perChannel in [true, false] {
      let model = try SchemeQuantization.quantize(
        graph, scheme: .gap8Sq8, ranges: ranges, options: QuantizationOptions(perChannel: perChannel))
      let y = try XCTUnwrap(SchemeQuantization.executor(for: model).run(inputs: batches[0])["logits"])
      XCTAssertGreaterThan(sqnr(x, y), 15, "per channel \(perChannel)")
    }
    XCTAssertThrowsError(
      try SchemeQuantization.quantize(graph, scheme: .gap8Sq8, ranges: ranges, options: QuantizationOptions(bits: 16))
    ) { error in
      XCTAssertEqual("\(error)", "The gap8-sq8 scheme quantizes to 8 bits only, got bits = 16.")
    }
    XCTAssertThrowsError(
      try SchemeQuantization.quantize(
        graph, scheme: .gap8Sq8, ranges: ranges, options: QuantizationOptions(doublePrecision: true))
    ) { error in
      XCTAssertEqual(
        "\(error)", "The gap8-sq8 scheme has one accumulation per layer; double_precision applies to gap8-pow2 only.")
    }
  }

  /// Options written before `doublePrecision` existed still decode, and the scheme names are
  /// the experiment spec's.
  func testOptionsDecodeWithDefaultsAndSchemeNames() throws {
    let old = try JSONDecoder().decode(
      QuantizationOptions.self, from: Data(#"{"perChannel":false,"layerBits":{}}"#.utf8))
    XCTAssertEqual(old, QuantizationOptions(perChannel: false))
    let options = QuantizationOptions(bits: 16, layerBits: ["c": 8], doublePrecision: true)
    XCTAssertEqual(try JSONDecoder().decode(QuantizationOptions.self, from: JSONEncoder().encode(options)), options)
    XCTAssertEqual(QuantizationScheme(rawValue: "gap8-pow2"), .gap8Pow2)
    XCTAssertEqual(QuantizationScheme(rawValue: "gap8-sq8"), .gap8Sq8)
  }

  // MARK: - fixtures

  /// A conv (zero padding) or dense layer by direct indexing, requantized per output channel
  /// with the uint8 multiplier of s_in·s_w/s_out limited to 31 − max(⌈log2 K⌉ + 14, bias bits)
  /// bits, then the fused ReLU/ReLU6 clamp.
  private func directLayer(_ node: Node, _ x: Tensor<Int8>, _ model: QuantizedModel) throws -> [Int8] {
    guard case let .int8(w)? = model.graph.parameters["\(node.name).weight"]?.data else {
      throw XCTSkip("no int8 weights")
    }
    let o = w.shape[0], per = w.count / o
    var bias = [Int](repeating: 0, count: o)
    if case let .int32(b)? = model.graph.parameters["\(node.name).bias"]?.data { bias = b.scalars.map(Int.init) }
    let inQ = try XCTUnwrap(model.table[node.inputs[0]]), wQ = try XCTUnwrap(model.table["\(node.name).weight"])
    let outQ = try XCTUnwrap(model.table[model.storedOutput(of: node)])
    let accumulatorBits = Int(ceil(log2(Double(per)))) + 14
    let biasMax = bias.map { abs($0) }.max() ?? 0
    let bits = 31 - max(accumulatorBits, biasMax > 0 ? Int(ceil(log2(Double(biasMax)))) : 0)
    var lo = -128, hi = 127
    if let act = model.fusedActivations[node.name], let a = model.graph.node(named: act) {
      lo = 0
      if a.op == .relu6 { hi = min(127, Int((6 / outQ.scale + 0.5).rounded(.down))) }
    }
    func requantize(_ acc: Int, _ oc: Int) -> Int8 {
      let m = SQ8Multiplier(inQ.scale * wQ.scales[oc] / outQ.scale, availableBits: bits)
      let y = Int((Double(acc * Int(m.scale)) / pow(2, Double(m.shift)) + 0.5).rounded(.down))
      return Int8(min(max(min(max(y, -128), 127), lo), hi))
    }
    if node.op == .dense {
      let n = x.shape[0]
      var out: [Int8] = []
      for s in 0..<n {
        for oc in 0..<o {
          var acc = bias[oc]
          for f in 0..<per { acc += Int(x.scalars[s * per + f]) * Int(w.scalars[oc * per + f]) }
          out.append(requantize(acc, oc))
        }
      }
      return out
    }
    let p = node.convParameters, k = node.ints("kernel")
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let cg = c / p.groups
    let (oh, ow) = p.outputSize(h: h, w: wd, kh: k[0], kw: k[1])
    var out: [Int8] = []
    for s in 0..<n {
      for oc in 0..<o {
        let g = oc / (o / p.groups)
        for i in 0..<oh {
          for j in 0..<ow {
            var acc = bias[oc]
            for ci in 0..<cg {
              for ki in 0..<k[0] {
                for kj in 0..<k[1] {
                  let yy = i * p.strideH - p.padTop + ki * p.dilationH
                  let xx = j * p.strideW - p.padLeft + kj * p.dilationW
                  guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
                  acc +=
                    Int(x.scalars[((s * c + g * cg + ci) * h + yy) * wd + xx])
                    * Int(w.scalars[((oc * cg + ci) * k[0] + ki) * k[1] + kj])
                }
              }
            }
            out.append(requantize(acc, oc))
          }
        }
      }
    }
    return out
  }

  /// Every op the SQ8 executor implements natively (the int8 tests' network).
  private func network() throws -> (ModelGraph, [[String: Tensor<Float>]]) {
    try QuantizationNetworks.int8Ops(name: "sq8-ops")
  }
}

extension SQ8Multiplier {
  /// A multiplier with the given parts (for comparisons).
  static func with(_ scale: Int64, _ shift: Int) -> SQ8Multiplier {
    var m = SQ8Multiplier(1)
    m.scale = scale
    m.shift = shift
    return m
  }
}
