import Graph
import XCTest

/// The cost analysis reproduces published parameter and MAC counts of the zoo models.
final class PublishedFiguresTests: XCTestCase {
  func testSqueezeNet11MatchesThePublishedFigures() throws {
    // Iandola et al. 2016 (v1.1 from the authors' repository; torchvision's squeezenet1_1):
    // 1,235,496 parameters; 349,151,936 conv multiply-accumulates at 224×224, 1000 classes.
    let report = try CostAnalysis.analyze(ModelZoo.graph("squeezenet1.1"))
    XCTAssertEqual(report.totalParameters, 1_235_496)
    XCTAssertEqual(report.totalMACs, 349_151_936)
    XCTAssertEqual(report.totalBuffers, 0)
    XCTAssertEqual(report.layers.last?.outputShape, [1, 1000])
  }

  func testMobileNetV1MatchesThePaper() throws {
    // Howard et al. 2017, Table 8: 1.0 MobileNet-224 has 4.2 M parameters and 569 M mult-adds.
    // Parameters counted as PyTorch does: conv weights (no bias), BatchNorm γ and β, dense
    // weight and bias = 4,231,976; running statistics are buffers (21,888 elements).
    let report = try CostAnalysis.analyze(ModelZoo.graph("mobilenet-v1"))
    XCTAssertEqual(report.totalParameters, 4_231_976)
    XCTAssertEqual(report.totalBuffers, 21_888)
    XCTAssertEqual(report.totalMACs, 568_740_352)
    XCTAssertEqual(Double(report.totalMACs) / 1e6, 569, accuracy: 0.5)
  }

  func testMobileNetTinyMatchesTheHandCount() throws {
    // By hand, 1×32×32 input, 10 classes (weights + BatchNorm γ, β per conv):
    // conv1 1·24·9 + 48 = 264; each block dw C·9 + 2C, pw C·F + 2F:
    // 24→32: 1,096; 32→48: 1,984; 48→64: 3,728; 64→96: 7,040; 96→128: 13,600; 128→128: 18,048;
    // dense 128·10 + 10 = 1,290 → 47,050.
    // MACs: conv1 32²·24·9 = 221,184; blocks (maps 16², 16², 8², 8², 4², 4²) dw + pw:
    // 55,296 + 196,608, 73,728 + 393,216, 27,648 + 196,608, 36,864 + 393,216, 13,824 + 196,608,
    // 18,432 + 262,144; dense 1,280 → 2,086,656.
    let graph = try ModelZoo.graph("mobilenet-tiny")
    let report = try CostAnalysis.analyze(graph)
    XCTAssertEqual(report.totalParameters, 47_050)
    XCTAssertEqual(report.totalMACs, 2_086_656)
    XCTAssertEqual(graph.outputs.first?.shape, [1, 10])
    XCTAssertEqual(graph.outputs.first?.role, .logits)
    XCTAssertEqual(graph.nodes.filter { $0.op == .conv }.count, 13)
  }

  func testReidDescriptorMatchesTheGAP8Paper() throws {
    // "512KiB RAM Is Enough!" (Zemlyanikin et al. 2019): 26 conv layers, 719,555 weights +
    // 2,947 biases once BatchNorm is folded, about 80.1 M MACs, 512-d descriptor.
    let graph = try ModelZoo.graph("squeezenet1.1-reid")
    let report = try CostAnalysis.analyze(graph)
    XCTAssertEqual(report.totalMACs, 80_140_992)
    XCTAssertEqual(report.totalParameters, 725_449)  // 719,555 weights + 2 × 2,947 BatchNorm γ, β
    XCTAssertEqual(report.totalParameters, 719_555 + 2 * 2_947)
    XCTAssertEqual(Double(report.totalParameters), 0.72e6, accuracy: 0.01e6)
    XCTAssertEqual(graph.nodes.filter { $0.op == .conv }.count, 26)
    XCTAssertEqual(graph.outputs.first?.shape, [1, 512])
    XCTAssertEqual(graph.outputs.first?.role, .descriptor)
  }

  func testTinyYOLOHasTwoHeadsWithAnchors() throws {
    let graph = try ModelZoo.graph("tiny-yolo")
    XCTAssertEqual(graph.outputs.map(\.role), [.yolo, .yolo])
    XCTAssertEqual(graph.outputs.map(\.shape), [[1, 75, 7, 7], [1, 75, 14, 14]])
    XCTAssertEqual(graph.outputs.map(\.stride), [32, 16])
    XCTAssertEqual(graph.outputs[0].anchors, [[44, 44], [73, 91], [185, 172]])
    XCTAssertEqual(graph.outputs[1].numClasses, 20)
    // K210-friendly: only 1×1 and 3×3 stride-1 convolutions, LeakyReLU, max-pool downsampling.
    for node in graph.nodes where node.op == .conv {
      XCTAssertTrue([[1, 1], [3, 3]].contains(node.ints("kernel")), node.name)
      XCTAssertEqual(node.ints("stride"), [1, 1], node.name)
    }
    XCTAssertFalse(graph.nodes.contains { $0.op == .relu })
    let report = try CostAnalysis.analyze(graph)
    // The figures quoted in Experiments/models/README.md.
    XCTAssertEqual(report.totalParameters, 3_862_054)
    XCTAssertEqual(report.totalMACs, 555_573_760)
  }
}
