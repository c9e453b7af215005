import Foundation

/// Parameters, MACs and peak activation memory of a model definition for every combination of
/// width, depth and resolution multipliers: what `workbench inspect model NAME --scale` prints
/// (MobileNets' width and resolution multipliers, Howard et al. 2017, §4.2–4.3; EfficientNet's
/// three axes, Tan & Le 2019).
public struct ScalingStudy: Codable, Equatable, Sendable {
  /// One combination.
  public struct Point: Codable, Equatable, Sendable {
    /// The multipliers.
    public var width, depth, resolution: Double
    /// The input shape built (batch axis first).
    public var input: [Int]
    /// Trainable parameters, MACs per sample, peak activation bytes (float32).
    public var parameters, macs, peakActivationBytes: Int
    /// The estimated time of one inference on a target, and whether the model fits it (nil
    /// when no target estimate was asked for).
    public var deviceMs: Double? = nil, deviceFits: Bool? = nil
  }

  /// A target's estimate for one built graph: milliseconds per inference and whether it fits.
  public typealias DeviceEstimate = (ModelGraph) throws -> (ms: Double, fits: Bool)

  /// The model name.
  public var model: String
  /// Every combination, widths varying slowest, then depths, then resolutions.
  public var points: [Point]

  /// Builds `nameOrPath` at every combination and analyses its cost, and, with `device`, the
  /// on-device time a target's model estimates (the K210's, from the CLI).
  /// - Throws: ``DefinitionError`` or ``GraphValidationError``.
  public init(
    _ nameOrPath: String, widths: [Double] = [1], depths: [Double] = [1], resolutions: [Double] = [1],
    classes: Int? = nil, device: DeviceEstimate? = nil
  ) throws {
    let definition = try ModelZoo.definition(nameOrPath)
    model = definition.name
    points = []
    for w in widths {
      for d in depths {
        for r in resolutions {
          let graph = try definition.build(BuildOptions(width: w, depth: d, resolution: r, classes: classes))
          let cost = try CostAnalysis.analyze(graph)
          let estimate = try device?(graph)
          points.append(
            Point(
              width: w, depth: d, resolution: r, input: graph.inputs.first?.shape ?? [],
              parameters: cost.totalParameters, macs: cost.totalMACs, peakActivationBytes: cost.peakActivationBytes,
              deviceMs: estimate?.ms, deviceFits: estimate?.fits))
        }
      }
    }
  }

  /// Parses `--scale` arguments such as `["width=0.25,0.5,1", "resolution=0.5,1"]` into the
  /// multiplier lists (1 for an axis not given).
  /// - Throws: ``DefinitionError`` naming the argument that is not `axis=v,v,…` with positive numbers.
  public static func axes(_ arguments: [String]) throws -> (widths: [Double], depths: [Double], resolutions: [Double]) {
    var axes: [String: [Double]] = [:]
    for argument in arguments {
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      let values = parts.count == 2 ? parts[1].split(separator: ",").compactMap { Double($0) } : []
      guard parts.count == 2, ["width", "depth", "resolution"].contains(parts[0]), !values.isEmpty,
        values.count == parts[1].split(separator: ",").count, values.allSatisfy({ $0 > 0 })
      else {
        throw DefinitionError(
          model: "--scale",
          "'\(argument)' is not width=…, depth=… or resolution=… with positive numbers (e.g. width=0.25,0.5,1).")
      }
      axes[parts[0]] = values
    }
    return (axes["width"] ?? [1], axes["depth"] ?? [1], axes["resolution"] ?? [1])
  }

  /// A table, one row per combination.
  public func renderText() -> String {
    var lines = [
      "Scaling study of \(model)",
      [
        "width", " depth", " resolution", "input        ", " parameters", "         MACs", "  peak activations",
      ].joined(separator: "  ") + (points.contains { $0.deviceMs != nil } ? "  device ms" : ""),
    ]
    for p in points {
      let input = p.input.dropFirst().map(String.init).joined(separator: "×")
      lines.append(
        [
          String(format: "%5.2f", p.width), String(format: "%6.2f", p.depth), String(format: "%11.2f", p.resolution),
          input.padding(toLength: 13, withPad: " ", startingAt: 0), String(format: "%11d", p.parameters),
          String(format: "%13d", p.macs), String(format: "%18d", p.peakActivationBytes),
        ].joined(separator: "  ")
          + (p.deviceMs.map { String(format: "  %9.2f", $0) + (p.deviceFits == false ? " (does not fit)" : "") } ?? ""))
    }
    return lines.joined(separator: "\n")
  }
}
