import Graph
import GraphFixtures
import KModel
import Quantization
import XCTest

/// The V5 container the writer produces, read back by hand with the layouts of `k210.md` §6
/// (that nncase.Simulator runs it bit-exactly is NNCaseCrossCheckTests).
final class KModelV5Tests: XCTestCase {
  func u32(_ b: [UInt8], _ at: Int) -> Int {
    Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
  }

  func testContainerLayout() throws {
    var b = GraphBuilder(name: "chain")
    let x = b.input("image", shape: [1, 3, 16, 16])
    let same3 = ["kernel": Attribute.ints([3, 3]), "padding": .ints([1, 1, 1, 1])]
    let c1 = try b.add(.conv, "c1", [x], same3.merging(["outChannels": .int(8)]) { $1 })
    let r1 = try b.add(.relu, "r1", [c1])
    b.output(try b.add(.conv, "c2", [r1], ["outChannels": .int(4), "kernel": .ints([1, 1])]))
    let executor = try V3Fixtures.executor(Fixtures.withValues(try b.finish(), seed: 5))
    let bytes = try KModelV5Writer.bytes(executor)
    XCTAssertEqual(Array(bytes[0..<4]), Array("LDMK".utf8))
    XCTAssertEqual([u32(bytes, 4), u32(bytes, 8), u32(bytes, 16), u32(bytes, 20)], [5, 32, 256, 2])
    XCTAssertEqual(String(decoding: bytes[32..<39], as: UTF8.self), "stackvm")
    let stackvmSize = u32(bytes, 32 + 24)
    let k210 = 32 + stackvmSize
    XCTAssertEqual(String(decoding: bytes[k210..<(k210 + 4)], as: UTF8.self), "k210")
    XCTAssertEqual(k210 + u32(bytes, k210 + 24), bytes.count)
    // k210 mempools: rdata (weights 216 + BN 64, act at 512 + 144 = 656, then 32 + 32 + 144 at 768)
    XCTAssertEqual([u32(bytes, k210 + 48), u32(bytes, k210 + 52)], [2, 912])
    XCTAssertEqual([u32(bytes, k210 + 64), u32(bytes, k210 + 68)], [64, 2 * 1024 * 1024])
    // function: input 768 uint8, output 1024, text = upload + 2 convs + download
    let function = k210 + 48 + 24
    XCTAssertEqual(
      [u32(bytes, function + 8), u32(bytes, function + 12), u32(bytes, function + 28)], [768, 1024, 2 * 44 + 2 * 152])
    // sections: .rdata then .text, bodies 256-aligned in the file
    var section = function + u32(bytes, function + 4)
    for name in [".rdata", ".text"] {
      XCTAssertEqual(String(decoding: bytes[section..<(section + name.count)], as: UTF8.self), name)
      let body = section + 32 + u32(bytes, section + 20)
      XCTAssertEqual(body % 256, 0)
      section = body + u32(bytes, section + 24)
    }
  }
}
