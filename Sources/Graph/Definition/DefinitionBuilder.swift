import Support

/// Turns a ``ModelDefinition`` into a ``ModelGraph``: expands `repeat` blocks (scaled by the
/// depth multiplier), resolves `from` references, scales channels and the input, and emits the
/// nodes of each layer through a ``GraphBuilder`` (see `DefinitionBuilder+Layers.swift` for
/// the layer types and their fields).
///
/// Node names derive from the layer name (explicit `name`, or `<type><index>` with the index in
/// the expanded list): a conv layer `c1` with BatchNorm and ReLU gives nodes `c1`, `c1_bn`,
/// `c1_relu`; a layer's output is its last node's value, and references to `c1` mean it.
struct DefinitionBuilder {
  let definition: ModelDefinition
  let options: BuildOptions
  var graph: GraphBuilder
  /// Output value of every layer built so far, in expanded order.
  var layerOutputs: [String] = []
  /// Output value by layer name (the most recent layer with that name) and by input name.
  var named: [String: String] = [:]
  var classes: Int?
  var anchorScale: (x: Double, y: Double) = (1, 1)
  var inputHeight = 0
  var markedOutputs = 0

  init(definition: ModelDefinition, options: BuildOptions) {
    self.definition = definition
    self.options = options
    self.graph = GraphBuilder(name: definition.name)
    self.classes = options.classes ?? definition.classes
  }

  mutating func build() throws -> ModelGraph {
    let d = definition.input
    var (h, w) = (
      options.scaledSize(d.height, multiple: d.sizeMultiple), options.scaledSize(d.width, multiple: d.sizeMultiple)
    )
    if let size = options.inputSize {
      guard size.count == 2, size.allSatisfy({ $0 > 0 }) else {
        throw DefinitionError(
          model: definition.name, field: "input",
          "the requested input size \(size) must be [height, width] with positive extents.")
      }
      (h, w) = (
        options.scaledSize(size[0], multiple: d.sizeMultiple), options.scaledSize(size[1], multiple: d.sizeMultiple)
      )
    }
    if let c = options.inputChannels, c <= 0 {
      throw DefinitionError(
        model: definition.name, field: "input", "the requested input channel count \(c) must be positive.")
    }
    anchorScale = (Double(w) / Double(d.width), Double(h) / Double(d.height))
    inputHeight = h
    let input = graph.input(d.name, shape: [1, options.inputChannels ?? d.channels, h, w])
    named[input] = input
    try buildLayers(definition.layers, prefix: [], repetition: nil)
    if markedOutputs == 0, let last = layerOutputs.last { graph.output(last) }
    do {
      return try graph.finish()
    } catch {
      throw DefinitionError(model: definition.name, "the built graph is invalid: \(error)")
    }
  }

  private mutating func buildLayers(_ layers: [JSONValue], prefix: [Int], repetition: Int?) throws {
    for (i, raw) in layers.enumerated() {
      let path = prefix + [i]
      guard let object = raw.objectValue else {
        throw DefinitionError(
          model: definition.name, layerPath: path, "must be a JSON object with a \"type\", got \(raw).")
      }
      var fields = LayerFields(model: definition.name, path: path, object: object, classes: classes)
      guard object["type"]?.stringValue != nil else {
        throw fields.error("type", "is required (e.g. \"conv\", \"maxpool\", \"fire\", \"repeat\").")
      }
      if fields.type == "repeat" {
        let count = try fields.count("count")
        fields.markRead("layers")
        guard let inner = object["layers"]?.arrayValue, !inner.isEmpty else {
          throw fields.error("layers", "is required: the non-empty list of layers to repeat.")
        }
        try fields.rejectUnknownFields()
        for r in 0..<options.scaledRepeats(count) {
          try buildLayers(inner, prefix: path, repetition: r)
        }
        continue
      }
      var base = fields.name ?? "\(fields.type)\(layerOutputs.count)"
      if let repetition, fields.name != nil { base += "_\(repetition)" }
      if graph.isTaken(base) { throw fields.error("name", "'\(base)' is already used by an earlier layer or node.") }
      let inputs = try resolveInputs(fields)
      let output: String
      do {
        output = try buildLayer(&fields, name: base, inputs: inputs)
      } catch let error as GraphValidationError {
        throw fields.error(nil, error.issues.map(\.description).joined(separator: " "))
      }
      try fields.rejectUnknownFields()
      layerOutputs.append(output)
      if let name = fields.name { named[name] = output }
      named[base] = output
      try markOutput(fields, output)
    }
  }

  private func resolveInputs(_ fields: LayerFields) throws -> [String] {
    let previous = layerOutputs.last ?? definition.input.name
    guard let from = fields.object["from"] else { return [previous] }
    let items = from.arrayValue ?? [from]
    guard !items.isEmpty else { throw fields.error("from", "must not be an empty list.") }
    return try items.map { item in
      if let index = item.intValue {
        let resolved = index < 0 ? layerOutputs.count + index : index
        guard resolved >= 0, resolved < layerOutputs.count else {
          throw fields.error(
            "from",
            "index \(index) does not refer to an earlier layer (there are \(layerOutputs.count) before this one).")
        }
        return layerOutputs[resolved]
      }
      if let name = item.stringValue {
        guard let value = named[name] else {
          throw fields.error("from", "no earlier layer or input is named '\(name)'.")
        }
        return value
      }
      throw fields.error("from", "must be a layer index, a layer name or a list of them, got \(item).")
    }
  }

  private mutating func markOutput(_ fields: LayerFields, _ value: String) throws {
    guard let raw = fields.object["output"] else { return }
    if raw.boolValue == false { return }
    let roleName = raw.boolValue == true ? "tensor" : raw.stringValue ?? ""
    guard let role = OutputInfo.Role(rawValue: roleName), role != .yolo else {
      throw fields.error("output", "must be true, \"tensor\", \"logits\" or \"descriptor\", got \(raw).")
    }
    let numClasses = role == .logits ? graph.shape(of: value)?[1] : nil
    graph.output(value, role: role, numClasses: numClasses)
    markedOutputs += 1
  }
}
