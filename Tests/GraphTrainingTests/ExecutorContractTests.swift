import Autograd
import Graph
import GraphTraining
import XCTest

/// The requirements the Training library's `TrainableModel` places on a model, mirrored here so
/// that `extension GraphExecutor: TrainableModel` in Training stays a one-method conformance.
private protocol TrainableModelContract: AnyObject {
  associatedtype Input
  associatedtype Output
  var parameters: [(name: String, variable: Variable)] { get }
  var batchNormStates: [(name: String, state: BatchNormState)] { get }
  var randomStreams: [String: RandomStream] { get set }
  func forward(_ input: Input, training: Bool) -> Output
}

extension GraphExecutor: TrainableModelContract {
  fileprivate func forward(_ input: [String: Variable], training: Bool) -> [String: Variable] {
    forward(inputs: input, training: training)
  }
}

final class ExecutorContractTests: XCTestCase {
  func testBatchNormStatesAreListedInNodeOrder() throws {
    let executor = try GraphExecutor(
      graph: try ModelZoo.graph("squeezenet1.1-reid", options: BuildOptions(resolution: 0.5)))
    XCTAssertEqual(executor.batchNormStates.count, 26)
    XCTAssertEqual(executor.batchNormStates.prefix(3).map(\.name), ["adapter_bn", "conv1_bn", "fire3_squeeze_bn"])
    XCTAssertTrue(executor.batchNormState("conv1_bn") === executor.batchNormStates[1].state)
  }

  func testRestoringTheRandomStreamsRepeatsTheDropoutMasks() throws {
    var b = GraphBuilder(name: "drop")
    let x = b.input("x", shape: [1, 64])
    b.output(try b.add(.dropout, "d", [x]))
    let executor = try GraphExecutor(graph: try b.finish(), random: RandomStream(seed: 3))
    let ones = ["x": Variable(Tensor(repeating: 1, shape: [1, 64]))]
    _ = executor.forward(ones, training: true)
    let saved = executor.randomStreams
    let first = executor.forward(ones, training: true)["d"]?.value
    _ = executor.forward(ones, training: false)  // inference does not consume randomness
    let second = executor.forward(ones, training: true)["d"]?.value
    XCTAssertNotEqual(first, second)
    executor.randomStreams = saved
    XCTAssertEqual(executor.forward(ones, training: true)["d"]?.value, first)
  }
}
