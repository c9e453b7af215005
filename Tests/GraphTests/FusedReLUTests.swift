import Graph
import XCTest

/// `fusedReLUs()`: the conv/dense + ReLU fusion rule the quantizers and QAT share.
final class FusedReLUTests: XCTestCase {
  /// c1 → ReLU (fused); c2 → ReLU but c2's output is also a graph output (not fused); c3 read by
  /// a ReLU and a sigmoid (not fused); c4 → leaky ReLU (not a fusable activation); flatten →
  /// dense → ReLU6 (fused); a ReLU after an add (no layer to fuse into).
  func testRule() throws {
    var b = GraphBuilder(name: "relu-fusion")
    let conv: [String: Attribute] = ["outChannels": .int(2), "kernel": .ints([1, 1])]
    let x = b.input("x", shape: [1, 2, 4, 4])
    let c1 = try b.add(.conv, "c1", [x], conv)
    let r1 = try b.add(.relu, "r1", [c1])
    let c2 = try b.add(.conv, "c2", [r1], conv)
    let r2 = try b.add(.relu, "r2", [c2])
    let c3 = try b.add(.conv, "c3", [r2], conv)
    let r3 = try b.add(.relu, "r3", [c3])
    let s3 = try b.add(.sigmoid, "s3", [c3])
    let sum = try b.add(.add, "sum", [r3, s3])
    let r4 = try b.add(.relu, "r4", [sum])
    let c4 = try b.add(.conv, "c4", [r4], conv)
    let l4 = try b.add(.leakyRelu, "l4", [c4], ["alpha": .float(0.1)])
    let f = try b.add(.flatten, "f", [l4])
    let d = try b.add(.dense, "d", [f], ["outFeatures": .int(3)])
    let r5 = try b.add(.relu6, "r5", [d])
    b.output(c2)
    b.output(r5)
    XCTAssertEqual(try b.finish().fusedReLUs(), ["c1": "r1", "d": "r5"])
  }
}
