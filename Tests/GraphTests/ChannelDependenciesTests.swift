import Graph
import GraphFixtures
import XCTest

/// ChannelDependencies: the groups of the zoo models and of hand-built residual and concat
/// graphs, checked against the structure read off their definitions by hand.
final class ChannelDependenciesTests: XCTestCase {
  private func group(_ groups: [ChannelGroup], _ id: String) throws -> ChannelGroup {
    try XCTUnwrap(groups.first { $0.id == id }, "no group \(id) in \(groups.map(\.id))")
  }

  func testTinyYOLOGroupsFollowTheRouteAndTheConcat() throws {
    let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(resolution: 0.3))
    let groups = try ChannelDependencies.analyze(graph)
    XCTAssertEqual(
      groups.map(\.id),
      [
        "image", "conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "neck", "conv7", "yolo32", "route", "conv8",
        "yolo16",
      ])
    XCTAssertEqual(
      groups.filter(\.isPrunable).map(\.id),
      ["conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "neck", "conv7", "route", "conv8"])
    // conv5 feeds pool5 → conv6 and, through the concat at offset 128 (after route's 128
    // upsampled channels), conv8.
    let conv5 = try group(groups, "conv5")
    XCTAssertEqual(conv5.channels, 256)
    XCTAssertEqual(conv5.values, ["conv5", "conv5_bn", "conv5_leaky", "pool5", "merge"])
    XCTAssertEqual(conv5.producers, ["conv5"])
    XCTAssertEqual(conv5.followers, ["conv5_bn"])
    XCTAssertEqual(conv5.consumers, ["conv6", "conv8"])
    let conv8In = try XCTUnwrap(conv5.slices.first { $0.node == "conv8" })
    XCTAssertEqual(conv8In.indices.map { $0 }, (0..<256).map { [128 + $0] })
    let route = try group(groups, "route")
    XCTAssertEqual(route.values, ["route", "route_bn", "route_leaky", "up", "merge"])
    XCTAssertEqual(route.consumers, ["conv8"])
    XCTAssertEqual(route.slices.first { $0.node == "conv8" }?.indices, (0..<128).map { [$0] })
    // neck is read by conv7 and by the route branch.
    XCTAssertEqual(try group(groups, "neck").consumers, ["conv7", "route"])
    // The heads are output layers: their channels are fixed; their inputs belong to conv7 / conv8.
    let head = try group(groups, "yolo32")
    XCTAssertEqual(head.fixedReason, "it reaches the graph output 'yolo32' (an output layer keeps its channels)")
    XCTAssertEqual(try group(groups, "conv7").consumers, ["yolo32"])
    XCTAssertEqual(try group(groups, "image").fixedReason, "it carries the graph input 'image'")
  }

  func testMobileNetDepthwiseConvsFollowTheirInput() throws {
    let graph = try ModelZoo.graph("mobilenet-tiny")
    let groups = try ChannelDependencies.analyze(graph)
    XCTAssertEqual(
      groups.map(\.id),
      ["image", "conv1", "block1_pw", "block2_pw", "block3_pw", "block4_pw", "block5_pw", "block6_pw", "logits"])
    let conv1 = try group(groups, "conv1")
    XCTAssertEqual(conv1.channels, 24)
    XCTAssertEqual(conv1.producers, ["conv1"])
    XCTAssertEqual(conv1.followers, ["conv1_bn", "block1_dw", "block1_dw_bn"])
    XCTAssertEqual(conv1.consumers, ["block1_pw"])
    // The last block reaches the classifier through global pooling and flatten (1×1 spatial,
    // so channel j is feature j); the classifier's own outputs are fixed.
    let last = try group(groups, "block6_pw")
    XCTAssertEqual(last.values, ["block6_pw", "block6_pw_bn", "block6_pw_relu", "pool", "flatten"])
    XCTAssertEqual(last.slices.first { $0.node == "logits" }?.indices, (0..<128).map { [$0] })
    XCTAssertFalse(try group(groups, "logits").isPrunable)
  }

  func testAnAddTiesBothBranchesIntoOneGroup() throws {
    let groups = try ChannelDependencies.analyze(try Fixtures.residual())
    XCTAssertEqual(groups.map(\.id), ["image", "c1", "head"])
    let tied = try group(groups, "c1")
    XCTAssertEqual(tied.channels, 4)
    XCTAssertEqual(tied.values, ["c1", "bn1", "r1", "c2", "bn2", "sum", "r2"])
    XCTAssertEqual(tied.producers, ["c1", "c2"])
    XCTAssertEqual(tied.followers, ["bn1", "bn2"])
    XCTAssertEqual(tied.consumers, ["c2", "head"])
    XCTAssertTrue(tied.isPrunable)
  }

  func testAFlattenedMapGivesTheDenseLayerHWColumnsPerChannel() throws {
    let groups = try ChannelDependencies.analyze(try Fixtures.concatFlattenDense())
    XCTAssertEqual(groups.map(\.id), ["image", "a", "b", "d"])
    // cat = [a0, a1, a2, b0, b1] pooled to 2×2: channel c is features 4c ..< 4c + 4.
    XCTAssertEqual(
      try group(groups, "a").slices.first { $0.node == "d" }?.indices, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
    XCTAssertEqual(
      try group(groups, "b").slices.first { $0.node == "d" }?.indices, [[12, 13, 14, 15], [16, 17, 18, 19]])
    XCTAssertEqual(try group(groups, "b").values, ["b", "rb", "cat", "mp", "fl"])
  }

  func testFireModulesAndTheDescriptorOfTheFaceModel() throws {
    let groups = try ChannelDependencies.analyze(
      try ModelZoo.graph("squeezenet1.1-reid", options: BuildOptions(width: 0.5)))
    // Each squeeze is prunable (read by both expands); the last fire's expands reach the
    // descriptor output through the concat, pooling and flatten, so they are fixed.
    let squeeze = try group(groups, "fire12_squeeze")
    XCTAssertEqual(squeeze.consumers, ["fire12_expand1x1", "fire12_expand3x3"])
    XCTAssertTrue(squeeze.isPrunable)
    XCTAssertFalse(try group(groups, "fire12_expand1x1").isPrunable)
    XCTAssertFalse(try group(groups, "fire12_expand3x3").isPrunable)
    XCTAssertTrue(try group(groups, "fire11_expand3x3").isPrunable)
    // The 3-channel adapter is not scaled with the width and stays prunable.
    XCTAssertEqual(try group(groups, "adapter").channels, 3)
  }

  func testGroupedAndMixingOpsFixTheirChannels() throws {
    var b = GraphBuilder(name: "mixing")
    let x = b.input("image", shape: [1, 2, 4, 4])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([1, 1])])
    let g = try b.add(.conv, "g", [c], ["outChannels": .int(4), "kernel": .ints([1, 1]), "groups": .int(2)])
    let e = try b.add(.conv, "e", [g], ["outChannels": .int(6), "kernel": .ints([1, 1])])
    let n = try b.add(.l2Normalize, "n", [e])
    b.output(try b.add(.conv, "o", [n], ["outChannels": .int(2), "kernel": .ints([1, 1])]))
    let groups = try ChannelDependencies.analyze(try b.finish())
    XCTAssertEqual(
      try group(groups, "c").fixedReason, "the grouped convolution 'g' (groups = 2) mixes channels in blocks")
    XCTAssertEqual(try group(groups, "e").fixedReason, "the L2Normalize 'n' mixes channels")
  }
}
