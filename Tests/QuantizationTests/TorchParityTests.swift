import Foundation
import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// Where PyTorch is installed: the int8 scheme's integer conv against PyTorch's quantized conv
/// (the oneDNN engine) on the same uint8 input codes, per-channel int8 weights and
/// int32-representable bias. Not fbgemm, PyTorch's x86 default: without VNNI (AVX2) it adds
/// pairs of u8·s8 products in saturating 16-bit lanes and came out up to 51 LSB off on an AVX2
/// EPYC (all-255 inputs times all-127 weights: half the true sum), while oneDNN was exact there. PyTorch requantizes in float32 (acc · s_in·s_w/s_out, rounded half to even), we with a
/// 31-bit multiplier rounded half away from zero, so the codes agree within 1 LSB and almost
/// always exactly. Skips with a message when `python3 -c "import torch"` fails.
final class TorchParityTests: XCTestCase {
  func testInt8ConvMatchesPyTorchQuantizedConv() throws {
    guard Self.run(["-c", "import torch"]) != nil else {
      throw XCTSkip(
        "PyTorch is not importable by python3; the int8 parity check against torch's quantized conv is skipped.")
    }
    var b = GraphBuilder(name: "parity")
    let x = b.input("image", shape: [1, 4, 9, 9])
    let c = try b.add(
      .conv, "c", [x],
      [
        "outChannels": .int(6), "kernel": .ints([3, 3]), "stride": .ints([2, 2]), "padding": .ints([1, 1, 1, 1]),
        "groups": .int(2),
      ])
    b.output(c)
    let graph = Fixtures.withValues(try b.finish(), seed: 17)
    let batches = [Fixtures.input(for: graph, batch: 2, seed: 5)]
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try Int8Quantizer.quantize(graph, ranges: ranges)
    let codes = try IntegerExecutor(model).runCodes(inputs: batches[0])
    let inQ = try XCTUnwrap(model.table["image"]), outQ = try XCTUnwrap(model.table["c"])
    let wQ = try XCTUnwrap(model.table["c.weight"]), bQ = try XCTUnwrap(model.table["c.bias"])
    guard case let .int8(w)? = model.graph.parameters["c.weight"]?.data,
      case let .int32(bias)? = model.graph.parameters["c.bias"]?.data
    else {
      return XCTFail("the conv parameters are not integer")
    }
    let payload: [String: Any] = [
      "x": try XCTUnwrap(codes["image"]).scalars.map(Int.init), "xshape": [2, 4, 9, 9], "s_in": inQ.scale,
      "z_in": inQ.zeroPoint,
      "w": w.scalars.map(Int.init), "wshape": w.shape, "s_w": wQ.scales,
      "b": (0..<bias.count).map { Double(bias.scalars[$0]) * bQ.scales[$0] }, "s_out": outQ.scale,
      "z_out": outQ.zeroPoint,
    ]
    let dir = NSTemporaryDirectory() + "torch-parity-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let input = dir + "/in.json"
    try JSONSerialization.data(withJSONObject: payload).write(to: URL(fileURLWithPath: input))
    let script = """
      import json, sys, torch
      d = json.load(open(sys.argv[1]))
      torch.backends.quantized.engine = 'onednn'
      x = torch._make_per_tensor_quantized_tensor(torch.tensor(d['x'], dtype=torch.uint8).reshape(d['xshape']), d['s_in'], d['z_in'])
      w = torch.tensor(d['w'], dtype=torch.int8).reshape(d['wshape'])
      qw = torch._make_per_channel_quantized_tensor(w, torch.tensor(d['s_w'], dtype=torch.double), torch.zeros(len(d['s_w']), dtype=torch.long), 0)
      y = torch.ao.nn.quantized.functional.conv2d(x, qw, torch.tensor(d['b'], dtype=torch.float), stride=2, padding=1, groups=2, scale=d['s_out'], zero_point=d['z_out'])
      print(json.dumps(y.int_repr().flatten().tolist()))
      """
    let output = try XCTUnwrap(Self.run(["-c", script, input]), "the PyTorch script failed")
    let theirs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Int])
    let ours = try XCTUnwrap(codes["c"]).scalars.map(Int.init)
    XCTAssertEqual(theirs.count, ours.count)
    let diffs = zip(theirs, ours).map { abs($0 - $1) }
    XCTAssertLessThanOrEqual(diffs.max() ?? 99, 1)
    XCTAssertGreaterThan(Double(diffs.filter { $0 == 0 }.count), 0.97 * Double(diffs.count))
  }

  /// Runs python3 with `arguments`; its standard output, or nil when it fails.
  static func run(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
  }
}
