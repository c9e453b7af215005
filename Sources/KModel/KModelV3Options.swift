/// The optimisation passes of the V3 writer (`export.kmodel` settings), after the seed article's
/// three CPU-side speed-ups (`k210.md` §8). Each is exact: the model's outputs are the same bytes
/// with the pass on or off.
public struct KModelV3Options: Equatable, Sendable, Codable {
  /// Exact 2× nearest upsampling on uint8 codes runs a dedicated kernel that writes each source
  /// pixel to a 2×2 block (a runtime kernel choice: the V3 layer is unchanged; the simulator
  /// uses the path and the report counts the bytes the kernel moves).
  public var upsampleFastPath: Bool
  /// The producers of a `CONCAT` write straight into their channel ranges of its output, so the
  /// concat layer and its copy disappear.
  public var concatElimination: Bool
  /// A `DEQUANTIZE` whose float output only feeds a `QUANTIZE` becomes nothing (when the round
  /// trip is the identity on all 256 codes) or one `REQUANTIZE` table.
  public var cancelRequantize: Bool

  /// Options with every pass on unless switched off.
  public init(upsampleFastPath: Bool = true, concatElimination: Bool = true, cancelRequantize: Bool = true) {
    (self.upsampleFastPath, self.concatElimination, self.cancelRequantize) =
      (upsampleFastPath, concatElimination, cancelRequantize)
  }

  /// Every pass off: the plain lowering.
  public static let none = KModelV3Options(upsampleFastPath: false, concatElimination: false, cancelRequantize: false)
}

/// What the V3 optimisation passes changed, for the export log and `kmodel-passes.json`.
public struct KModelPassReport: Equatable, Sendable, Codable {
  /// Size and CPU cost of a plan.
  public struct Metrics: Equatable, Sendable, Codable {
    /// Bytes of the main buffer the runtime allocates (the working arena: the peak of the
    /// first-fit placement, which reuses the space of dead buffers).
    public var arenaBytes: Int
    /// The main buffers' sizes added up (8-byte aligned): what the layers' outputs occupy over
    /// the run, which a pass can lower even when the arena's peak lies elsewhere.
    public var bufferBytes: Int
    /// Layers that run on the CPU (every layer but `K210_CONV`).
    public var cpuLayers: Int
    /// Bytes the CPU layers load and store (each input byte once, each output byte once; a
    /// general nearest resize loads one source byte per output pixel, the 2× fast path one per
    /// source pixel) — a proxy for CPU time.
    public var cpuBytesMoved: Int
  }

  /// One pass: whether it ran, what it did and the metrics before and after it.
  public struct Pass: Equatable, Sendable, Codable {
    public var name: String
    public var enabled: Bool
    /// How many places it changed (concats removed, pairs cancelled, resizes on the fast path).
    public var applied: Int
    public var before: Metrics, after: Metrics

    /// "concat elimination: arena ±0 bytes, buffers −13824 bytes, −1 CPU layer, −13824 bytes
    /// moved (1 applied)".
    public var summary: String {
      guard enabled else { return "\(name): off" }
      func signed(_ v: Int) -> String { v > 0 ? "+\(v)" : v < 0 ? "−\(-v)" : "±0" }
      let layers = after.cpuLayers - before.cpuLayers
      return "\(name): arena \(signed(after.arenaBytes - before.arenaBytes)) bytes, buffers "
        + "\(signed(after.bufferBytes - before.bufferBytes)) bytes, \(signed(layers)) CPU layer"
        + "\(abs(layers) == 1 ? "" : "s"), \(signed(after.cpuBytesMoved - before.cpuBytesMoved)) bytes moved"
        + " (\(applied) applied)"
    }
  }

  /// The plan before any pass.
  public var baseline: Metrics
  /// The passes in the order they ran.
  public var passes: [Pass]
  /// The plan written.
  public var final: Metrics
}
