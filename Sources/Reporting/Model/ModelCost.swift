/// `stages/model/cost.json`: per-layer parameters, MACs and activation bytes, and totals.
///
/// Two layouts are accepted: the report contract (`layers[].name`, `output_shape`,
/// `activation_bytes`, `totals.{parameters, macs, peak_activation_bytes}`) and Graph's
/// `CostReport` encoding (`layers[].node`, `outputShape`, `activationBytes`,
/// `totalParameters`, `totalMACs`, `peakActivationBytes`), so the runner can write either.
public struct ModelCost: Codable, Equatable, Sendable {
  /// The model's name, if recorded.
  public var model: String?
  /// One row per layer, in execution order.
  public var layers: [Layer]
  /// Total trainable parameters.
  public var totalParameters: Int
  /// Total multiply-accumulates per sample.
  public var totalMACs: Int
  /// The peak of live activation bytes, if recorded.
  public var peakActivationBytes: Int?

  /// One layer's cost.
  public struct Layer: Codable, Equatable, Sendable {
    /// Node name.
    public var name: String
    /// Op kind.
    public var op: String
    /// Output shape, batch first.
    public var outputShape: [Int]
    /// Trainable parameters.
    public var parameters: Int
    /// Multiply-accumulates.
    public var macs: Int
    /// Bytes of the output activation.
    public var activationBytes: Int

    /// Creates a row.
    public init(name: String, op: String, outputShape: [Int], parameters: Int, macs: Int, activationBytes: Int) {
      self.name = name
      self.op = op
      self.outputShape = outputShape
      self.parameters = parameters
      self.macs = macs
      self.activationBytes = activationBytes
    }

    /// Decodes either key spelling.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: AnyKey.self)
      guard let name = try c.first(String.self, "name", "node") else {
        throw DecodingError.keyNotFound(
          AnyKey("name"), .init(codingPath: c.codingPath, debugDescription: "a layer needs 'name' (or 'node')"))
      }
      self.name = name
      op = try c.first(String.self, "op") ?? "?"
      outputShape = try c.first([Int].self, "output_shape", "outputShape") ?? []
      parameters = try c.first(Int.self, "parameters") ?? 0
      macs = try c.first(Int.self, "macs", "MACs") ?? 0
      activationBytes = try c.first(Int.self, "activation_bytes", "activationBytes") ?? 0
    }
  }

  /// Creates a cost table.
  public init(model: String? = nil, layers: [Layer], totalParameters: Int, totalMACs: Int, peakActivationBytes: Int?) {
    self.model = model
    self.layers = layers
    self.totalParameters = totalParameters
    self.totalMACs = totalMACs
    self.peakActivationBytes = peakActivationBytes
  }

  /// Decodes either layout; missing totals are summed from the layers.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: AnyKey.self)
    model = try c.first(String.self, "model")
    layers = try c.first([Layer].self, "layers") ?? []
    var parameters = try c.first(Int.self, "totalParameters")
    var macs = try c.first(Int.self, "totalMACs")
    var peak = try c.first(Int.self, "peakActivationBytes")
    if c.contains(AnyKey("totals")) {
      let t = try c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("totals"))
      parameters = try t.first(Int.self, "parameters") ?? parameters
      macs = try t.first(Int.self, "macs") ?? macs
      peak = try t.first(Int.self, "peak_activation_bytes", "peakActivationBytes") ?? peak
    }
    totalParameters = parameters ?? layers.reduce(0) { $0 + $1.parameters }
    totalMACs = macs ?? layers.reduce(0) { $0 + $1.macs }
    peakActivationBytes = peak
  }

  /// Encodes the report-contract layout.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    try c.encodeIfPresent(model, forKey: AnyKey("model"))
    var rows = c.nestedUnkeyedContainer(forKey: AnyKey("layers"))
    for layer in layers {
      var r = rows.nestedContainer(keyedBy: AnyKey.self)
      try r.encode(layer.name, forKey: AnyKey("name"))
      try r.encode(layer.op, forKey: AnyKey("op"))
      try r.encode(layer.outputShape, forKey: AnyKey("output_shape"))
      try r.encode(layer.parameters, forKey: AnyKey("parameters"))
      try r.encode(layer.macs, forKey: AnyKey("macs"))
      try r.encode(layer.activationBytes, forKey: AnyKey("activation_bytes"))
    }
    var t = c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("totals"))
    try t.encode(totalParameters, forKey: AnyKey("parameters"))
    try t.encode(totalMACs, forKey: AnyKey("macs"))
    try t.encodeIfPresent(peakActivationBytes, forKey: AnyKey("peak_activation_bytes"))
  }
}
