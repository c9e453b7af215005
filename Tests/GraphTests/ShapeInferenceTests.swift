import Graph
import XCTest

/// Shape inference of every op, and the sentences it throws for inputs that do not fit.
final class ShapeInferenceTests: XCTestCase {
  private func infer(_ op: OpKind, _ inputs: [[Int]], _ attributes: [String: Attribute] = [:]) throws -> [Int] {
    let node = Node(name: "n", op: op, inputs: inputs.indices.map { "x\($0)" }, outputs: ["y"], attributes: attributes)
    return try op.semantics.inferShapes(node, inputShapes: inputs)[0]
  }

  func testShapesOfEveryOp() throws {
    let conv: [String: Attribute] = ["outChannels": .int(8), "kernel": .ints([3, 3])]
    let cases: [(OpKind, [[Int]], [String: Attribute], [Int])] = [
      (.conv, [[1, 3, 32, 32]], conv, [1, 8, 30, 30]),
      (
        .conv, [[1, 3, 32, 32]], conv.merging(["stride": .ints([2, 2]), "padding": .ints([1, 1, 1, 1])]) { $1 },
        [1, 8, 16, 16]
      ),
      (.conv, [[1, 3, 224, 224]], conv.merging(["stride": .ints([2, 2])]) { $1 }, [1, 8, 111, 111]),
      (.conv, [[1, 8, 9, 9]], conv.merging(["dilation": .ints([2, 2]), "groups": .int(8)]) { $1 }, [1, 8, 5, 5]),
      (.conv, [[1, 4, 5, 6]], conv.merging(["padding": .ints([0, 1, 2, 0])]) { $1 }, [1, 8, 5, 5]),
      (.batchNorm, [[1, 4, 5, 6]], [:], [1, 4, 5, 6]),
      (.relu, [[1, 4, 5, 6]], [:], [1, 4, 5, 6]),
      (.relu6, [[1, 4]], [:], [1, 4]),
      (.leakyRelu, [[1, 4, 2, 2]], ["alpha": .float(0.1)], [1, 4, 2, 2]),
      (.sigmoid, [[1, 7]], [:], [1, 7]),
      (.tanh, [[1, 7]], [:], [1, 7]),
      (
        .maxPool, [[1, 64, 111, 111]], ["kernel": .ints([3, 3]), "stride": .ints([2, 2]), "ceilMode": .bool(true)],
        [1, 64, 55, 55]
      ),
      (
        .maxPool, [[1, 64, 63, 63]], ["kernel": .ints([3, 3]), "stride": .ints([2, 2]), "ceilMode": .bool(true)],
        [1, 64, 31, 31]
      ),
      (.maxPool, [[1, 16, 13, 13]], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])], [1, 16, 6, 6]),
      (
        .avgPool, [[1, 4, 8, 8]],
        ["kernel": .ints([3, 3]), "stride": .ints([1, 1]), "padding": .ints([1, 1, 1, 1])], [1, 4, 8, 8]
      ),
      (.globalAvgPool, [[1, 512, 7, 7]], [:], [1, 512, 1, 1]),
      (.dense, [[1, 1024]], ["outFeatures": .int(1000)], [1, 1000]),
      (.upsample, [[1, 128, 7, 7]], [:], [1, 128, 14, 14]),
      (.concat, [[1, 64, 5, 5], [1, 32, 5, 5], [1, 8, 5, 5]], [:], [1, 104, 5, 5]),
      (.add, [[1, 4, 5, 6], [1, 4, 5, 6]], [:], [1, 4, 5, 6]),
      (.flatten, [[1, 512, 1, 1]], [:], [1, 512]),
      (.reshape, [[1, 12]], ["shape": .ints([3, -1])], [1, 3, 4]),
      (.l2Normalize, [[1, 512]], [:], [1, 512]),
      (.dropout, [[1, 512]], [:], [1, 512]),
      (.identity, [[1, 2, 3]], [:], [1, 2, 3]),
    ]
    for (op, inputs, attributes, expected) in cases {
      XCTAssertEqual(try infer(op, inputs, attributes), expected, "\(op.rawValue) \(inputs) \(attributes)")
    }
    XCTAssertEqual(Set(cases.map(\.0)), Set(OpKind.allCases), "every op kind has a shape case")
  }

  func testShapeErrorsSayWhatDoesNotFit() {
    let cases: [(OpKind, [[Int]], [String: Attribute], String)] = [
      (
        .conv, [[1, 6, 8, 8]], ["outChannels": .int(8), "kernel": .ints([3, 3]), "groups": .int(4)],
        "groups=4 must divide"
      ),
      (.conv, [[1, 3, 2, 2]], ["outChannels": .int(8), "kernel": .ints([3, 3])], "does not fit the 2×2 input"),
      (.conv, [[1, 3, 8]], ["outChannels": .int(8), "kernel": .ints([3, 3])], "must have rank 4"),
      (.dense, [[1, 4, 2, 2]], ["outFeatures": .int(3)], "add a Flatten first"),
      (.concat, [[1, 4, 5, 5], [1, 4, 6, 5]], [:], "differs from input 0's"),
      (.add, [[1, 4], [1, 5]], [:], "different shapes"),
      (.reshape, [[1, 12]], ["shape": .ints([5, -1])], "cannot reshape"),
      (.dropout, [[1, 4]], ["rate": .float(1)], "must be in [0, 1)"),
      (
        .maxPool, [[1, 4, 8, 8]], ["kernel": .ints([2, 2]), "padding": .ints([2, 2, 2, 2])], "at most half the kernel"
      ),
    ]
    for (op, inputs, attributes, fragment) in cases {
      XCTAssertThrowsError(try infer(op, inputs, attributes), op.rawValue) { error in
        XCTAssertTrue("\(error)".contains(fragment), "\(op.rawValue): '\(error)' lacks '\(fragment)'")
      }
    }
  }
}
