import Graph
import XCTest

/// The JSON layer-list format: references, repeats, multipliers and errors naming the layer.
final class DefinitionTests: XCTestCase {
  private func definition(_ layers: String, extra: String = "") throws -> ModelDefinition {
    try ModelDefinition.parse(
      """
      { "version": 1, "name": "t", "classes": 5, \(extra)
        "input": { "name": "image", "channels": 3, "height": 32, "width": 32, "sizeMultiple": 8 },
        "layers": [\(layers)] }
      """)
  }

  private func message(_ body: @autoclosure () throws -> Any) -> String {
    do {
      _ = try body()
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  func testLayersReferenceEarlierOutputsByIndexAndName() throws {
    let graph = try definition(
      """
      { "type": "conv", "name": "stem", "filters": 8, "kernel": 3, "activation": "relu" },
      { "type": "conv", "filters": 8, "kernel": 1 },
      { "type": "add", "from": ["stem", -1] },
      { "type": "concat", "from": [0, 2, "image"] },
      { "type": "maxpool", "kernel": 2, "output": true }
      """
    ).build()
    XCTAssertEqual(graph.node(named: "add2")?.inputs, ["stem_relu", "conv1"])
    XCTAssertEqual(graph.node(named: "concat3")?.inputs, ["stem_relu", "add2", "image"])
    XCTAssertEqual(graph.outputs.map(\.shape), [[1, 19, 16, 16]])
    XCTAssertEqual(graph.nodes.map(\.name), ["stem", "stem_relu", "conv1", "add2", "concat3", "maxpool4"])
  }

  func testRepeatBlocksScaleWithDepth() throws {
    let layers = """
      { "type": "conv", "filters": 8, "kernel": 3 },
      { "type": "repeat", "count": 3, "layers": [
        { "type": "conv", "name": "body", "filters": 8, "kernel": 3, "batchNorm": true },
        { "type": "add", "from": [-1, -2] } ] },
      { "type": "gap" }
      """
    let convs = { (g: ModelGraph) in g.nodes.filter { $0.op == .conv }.count }
    XCTAssertEqual(convs(try definition(layers).build()), 4)
    XCTAssertEqual(convs(try definition(layers).build(BuildOptions(depth: 0.34))), 2)
    XCTAssertEqual(convs(try definition(layers).build(BuildOptions(depth: 2))), 7)
    XCTAssertEqual(convs(try definition(layers).build(BuildOptions(depth: 0.01))), 2, "at least one repetition")
    XCTAssertNotNil(try definition(layers).build().node(named: "body_2_bn"))
  }

  func testWidthMultiplierRoundsChannelsToTheMultiple() throws {
    let layers = """
      { "type": "conv", "filters": 32, "kernel": 3 },
      { "type": "conv", "name": "adapter", "filters": 3, "kernel": 1, "scaleWidth": false },
      { "type": "fire", "squeeze": 16, "expand": 64 },
      { "type": "gap" }, { "type": "flatten" },
      { "type": "dense", "units": "classes", "output": "logits" }
      """
    let half = try definition(layers).build(BuildOptions(width: 0.5))
    XCTAssertEqual(half.shape(of: "conv0"), [1, 16, 32, 32])
    XCTAssertEqual(half.shape(of: "adapter"), [1, 3, 32, 32])
    XCTAssertEqual(half.shape(of: "fire2_squeeze"), [1, 8, 32, 32])
    XCTAssertEqual(half.shape(of: "fire2"), [1, 64, 32, 32])
    XCTAssertEqual(half.outputs[0].shape, [1, 5], "classes are never scaled")
    XCTAssertEqual(half.outputs[0].numClasses, 5)
    let odd = try definition(layers).build(BuildOptions(width: 0.3))
    XCTAssertEqual(odd.shape(of: "conv0")?[1], 16, "9.6 → 8 would lose more than 10%, so 16")
    XCTAssertEqual(odd.shape(of: "fire2_squeeze")?[1], 8, "never below the multiple")
    XCTAssertEqual(BuildOptions(width: 0.75).scaledChannels(40, multiple: 8), 32, "30 → 32")
    XCTAssertEqual(BuildOptions(width: 1.1).scaledChannels(20, multiple: 8), 24, "22 → 24")
  }

  func testResolutionMultiplierScalesTheInputAndYOLOAnchors() throws {
    let layers = """
      { "type": "conv", "filters": 8, "kernel": 3 }, { "type": "maxpool", "kernel": 2 },
      { "type": "yolo", "anchors": [[10, 20], [4, 4]] }
      """
    let g = try definition(layers).build(BuildOptions(resolution: 2))
    XCTAssertEqual(g.inputs[0].shape, [1, 3, 64, 64])
    XCTAssertEqual(g.outputs[0].shape, [1, 2 * (5 + 5), 32, 32])
    XCTAssertEqual(g.outputs[0].anchors, [[20, 40], [8, 8]])
    XCTAssertEqual(g.outputs[0].stride, 2)
    XCTAssertEqual(
      try definition(layers).build(BuildOptions(resolution: 0.8)).inputs[0].shape, [1, 3, 24, 24],
      "25.6 rounds to a multiple of 8")
    XCTAssertEqual(try definition(layers).build(BuildOptions(classes: 2)).outputs[0].numClasses, 2)
    let rgb = try ModelZoo.graph("squeezenet1.1-reid", options: BuildOptions(inputSize: [96, 96], inputChannels: 3))
    XCTAssertEqual(rgb.inputs[0].shape, [1, 3, 96, 96])
    XCTAssertEqual(rgb.parameters["adapter.weight"]?.shape, [3, 3, 1, 1])
  }

  func testErrorsNameTheLayerIndexAndField() throws {
    XCTAssertEqual(
      message(
        try definition(#"{ "type": "conv", "kernel": 3 }, { "type": "conv", "name": "c", "filters": -4, "kernel": 3 }"#)
          .build()),
      "Model definition 't', layer 0, field 'filters': is required (a positive integer).")
    XCTAssertEqual(
      message(
        try definition(
          #"{ "type": "conv", "filters": 8, "kernel": 3 }, { "type": "conv", "name": "c", "filters": -4, "kernel": 3 }"#
        ).build()),
      "Model definition 't', layer 1 ('c'), field 'filters': must be a positive integer, got -4.")
    XCTAssertEqual(
      message(try definition(#"{ "type": "conv", "filter": 8, "filters": 8, "kernel": 3 }"#).build()),
      "Model definition 't', layer 0, field 'filter': is not a field of a 'conv' layer (known fields: activation, alpha, batchNorm, bias, depthwise, dilation, filters, from, groups, kernel, name, output, padding, scaleWidth, stride)."
    )
    XCTAssertEqual(
      message(
        try definition(#"{ "type": "conv", "filters": 8, "kernel": 3 }, { "type": "concat", "from": [0, "nope"] }"#)
          .build()),
      "Model definition 't', layer 1, field 'from': no earlier layer or input is named 'nope'.")
    XCTAssertEqual(
      message(try definition(#"{ "type": "conv", "filters": 8, "kernel": 3, "from": -3 }"#).build()),
      "Model definition 't', layer 0, field 'from': index -3 does not refer to an earlier layer (there are 0 before this one)."
    )
    XCTAssertEqual(
      message(
        try definition(
          #"{ "type": "repeat", "count": 2, "layers": [ { "type": "conv", "filters": 8, "kernel": 3, "activation": "gelu" } ] }"#
        ).build()),
      #"Model definition 't', layer 0.0, field 'activation': must be one of "none", "relu", "relu6", "leaky", "sigmoid", "tanh", got "gelu"."#
    )
    XCTAssertEqual(
      message(try definition(#"{ "type": "convolution" }"#).build()).prefix(80),
      "Model definition 't', layer 0, field 'type': 'convolution' is not a layer type (")
    XCTAssertEqual(
      message(
        try definition(#"{ "type": "conv", "filters": 8, "kernel": 3 }, { "type": "add", "from": [-1, "image"] }"#)
          .build()),
      "Model definition 't', layer 1: Node 'add1': Add cannot accept inputs of shape [1, 8, 32, 32], [1, 3, 32, 32]: inputs have different shapes [1, 8, 32, 32] and [1, 3, 32, 32]."
    )
    XCTAssertEqual(
      message(try definition(#"{ "type": "maxpool", "kernel": 2 }"#, extra: #""width": 3,"#)),
      "Model definition 't', field 'width': is not a top-level field (known: channelMultiple, classes, description, input, layers, name, version)."
    )
    XCTAssertEqual(
      message(try ModelDefinition.parse(#"{ "version": 2, "name": "x" }"#)),
      "Model definition 'x', field 'version': 2 is not supported; this build reads version 1.")
  }

  func testTheDefinitionHashIsSHA256OfTheText() throws {
    var d = try definition(#"{ "type": "gap" }"#)
    d.source = "abc"
    XCTAssertEqual(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    d.source = ""
    XCTAssertEqual(d.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    d.source = String(repeating: "a", count: 1000)
    XCTAssertEqual(d.sha256, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }
}
