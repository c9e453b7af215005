import Graph
import GraphFixtures
import XCTest

@testable import K210

/// The per-layer K210 time, counted by hand on a small yolo-like graph: a KPU convolution whose
/// output the CPU upsamples and concatenates with another KPU output, then a KPU head.
final class K210FrameWorkTests: XCTestCase {
  /// x 3×16×16 → c1 + pool (KPU, 8×8×8) → c2 (KPU 1×1, 4×8×8) → up 2× (CPU, 4×16×16) ─┐
  /// x → c3 (KPU, 8×16×16) ─────────────────────────────────────────────── concat (CPU) → head (KPU 1×1)
  func graph() throws -> ModelGraph {
    var b = GraphBuilder(name: "t")
    let x = b.input("x", shape: [1, 3, 16, 16])
    func conv(_ x: String, _ name: String, out: Int, k: Int) throws -> String {
      try b.add(
        .conv, name, [x],
        [
          "outChannels": .int(out), "kernel": .ints([k, k]), "stride": .ints([1, 1]), "groups": .int(1),
          "padding": .ints([k / 2, k / 2, k / 2, k / 2]),
        ])
    }
    let c1 = try conv(x, "c1", out: 8, k: 3)
    let p1 = try b.add(.maxPool, "p1", [c1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])  // fused
    let c2 = try conv(p1, "c2", out: 4, k: 1)  // 4×8×8
    let up = try b.add(.upsample, "up", [c2], ["factor": .int(2)])  // 4×16×16 on the CPU
    let c3 = try conv(x, "c3", out: 8, k: 3)  // 8×16×16
    let cat = try b.add(.concat, "cat", [up, c3])  // 12×16×16 on the CPU
    b.output(try conv(cat, "head", out: 6, k: 1))  // 6×16×16
    return try b.finish()
  }

  func testCPUWorkCountedByHand() throws {
    let g = try graph()
    let check = try K210Check(g)
    XCTAssertEqual(check.layers.map(\.name), ["c1", "c2", "up", "c3", "cat", "head"])
    let cost = K210CPUCost()
    let on = K210FrameWork(check, graph: g)
    func step(_ w: K210FrameWork, _ name: String) -> K210FrameWork.Step? { w.steps.first { $0.name == name } }
    let cycles = 400_000.0  // per ms at 400 MHz
    // c2's output (4×8×8 = 256 codes) is downloaded for the CPU; upsample runs on the codes
    XCTAssertEqual(step(on, "c2")?.cpuMs ?? 0, 8.56 * 256 / cycles, accuracy: 1e-12)
    XCTAssertEqual(step(on, "c2")?.cpuWork, ["download c2"])
    // the 2× fast path: 1 cycle per output code (4×16×16 = 1024)
    XCTAssertEqual(step(on, "up")?.cpuMs ?? 0, 1024 / cycles, accuracy: 1e-12)
    // c3's output is downloaded for the concat, which is eliminated; head uploads the 3,072 codes
    XCTAssertEqual(step(on, "cat")?.cpuMs, 0)
    XCTAssertEqual(step(on, "head")?.cpuWork, ["upload cat", "download head", "dequantize head"])
    XCTAssertEqual(
      step(on, "head")?.cpuMs ?? 0, (8.56 * 3072 + 8.56 * 1536 + 2.92 * 1536) / cycles + 0.389, accuracy: 1e-12)
    // everything off: a general resize (6 cycles/element), a concat copy of 3,072 float32 values
    // (the upsample now dequantizes its input and works on float; c3's output is dequantized for
    // the concat), and the head quantizes the float concat before uploading it
    let off = K210FrameWork(
      check, graph: g, options: .init(upsampleFastPath: false, concatElimination: false, cancelRequantize: false))
    XCTAssertEqual(step(off, "up")?.cpuMs ?? 0, 6 * 1024 / cycles, accuracy: 1e-12)
    XCTAssertEqual(step(off, "cat")?.cpuMs ?? 0, 4 * 3072 / cycles, accuracy: 1e-12)
    XCTAssertEqual(step(off, "c2")?.cpuWork, ["download c2", "dequantize c2"])
    XCTAssertEqual(step(off, "c3")?.cpuWork, ["download c3", "dequantize c3"])
    XCTAssertEqual(step(off, "head")?.cpuWork, ["quantize cat", "upload cat", "download head", "dequantize head"])
    XCTAssertGreaterThan(off.cpuMs, on.cpuMs + 3 * cost.dequantize.fixedMs - 1e-9)
    // the KPU side does not change, and is the timing model's sum over the KPU layers
    XCTAssertEqual(on.kpuMs, off.kpuMs)
    XCTAssertEqual(on.kpuMs, check.kpuMilliseconds(timing: K210Timing(), clockMHz: 400), accuracy: 1e-12)
    XCTAssertEqual(on.inputBytes, 768)
    XCTAssertEqual(on.kpuInputBytes, KPURowLayout.bytes(channels: 3, height: 16, width: 16))
    XCTAssertEqual(on.outputElements, 1536)
  }
}
