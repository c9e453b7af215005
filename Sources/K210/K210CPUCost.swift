/// Cycles the K210's RISC-V cores (RV64GC with FPU, no vector unit, 400 MHz) spend on the CPU
/// work of a model: the ops nncase runs on stackvm, the quantize/dequantize around KPU islands,
/// and the copies between main memory and the KPU RAM row layout.
///
/// Each cost is `fixed + perUnit · units`. Where a published measurement exists the number is
/// fitted on it; the rest are assumptions stated as such (``Entry/source``), so the report can
/// say which part of a time is measured and which is estimated:
///
/// - Dequantize: nncase issue #77 (`KPU_DEBUG` trace of Sipeed's yolov2 face detector: 7×10×30
///   = 2,100 outputs, 0.404 ms) and issue #95 (16×240×320 = 1,228,800 outputs, 9.357 ms), both
///   at 400 MHz: two points, fitted exactly (0.389 ms + 2.92 cycles per element).
/// - Download (KPU RAM → main memory by the CPU; nncase replaced the DMA by a CPU copy because
///   of a DMA bug, issue #96): issue #95, the last 16×240×320 convolution took 26.563 ms
///   against 0.268 ms for the same convolution without the main-memory output: 8.56 cycles per
///   byte.
/// - DMA upload of the input into KPU RAM: issue #95, "DMA upload took 329 us" for a 320×240×3
///   frame: 1.43 ns per byte, independent of the CPU clock.
/// - CPU upload, quantize, resize, concat, pooling, pad/crop and float fallbacks: assumed
///   (no published per-op K210 figure): upload as the measured download (the same row-layout
///   rewrite in the other direction), quantize as the measured dequantize, and per-element
///   costs of a simple scalar loop for the rest.
public struct K210CPUCost: Codable, Equatable, Sendable {
  /// One kind of CPU work.
  public struct Entry: Codable, Equatable, Sendable {
    /// Milliseconds per call at the calibration clock (400 MHz).
    public var fixedMs: Double
    /// Cycles per unit (element or byte, see ``unit``).
    public var cyclesPerUnit: Double
    /// What a unit is.
    public var unit: String
    /// Where the numbers come from, or "assumed: …".
    public var source: String

    /// Whether the numbers are fitted on a published measurement.
    public var measured: Bool { !source.hasPrefix("assumed") }
  }

  /// The CPU clock the costs are given at (the cycles are clock-independent, the fixed parts
  /// scale with it).
  public var calibrationMHz = 400.0
  public var dequantize = Entry(
    fixedMs: 0.389, cyclesPerUnit: 2.92, unit: "element",
    source: "nncase #77 (2,100 outputs, 0.404 ms) and #95 (1,228,800 outputs, 9.357 ms), fitted exactly")
  public var quantize = Entry(
    fixedMs: 0.389, cyclesPerUnit: 2.92, unit: "element", source: "assumed: as the measured dequantize")
  public var download = Entry(
    fixedMs: 0, cyclesPerUnit: 8.56, unit: "byte",
    source: "nncase #95: 26.295 ms more for a 1,228,800-byte main-memory output")
  public var upload = Entry(
    fixedMs: 0, cyclesPerUnit: 8.56, unit: "byte", source: "assumed: as the measured download")
  /// DMA into KPU RAM: nanoseconds per byte, whatever the CPU clock.
  public var dmaNanosecondsPerByte = 329_000.0 / 230_400
  public var resize = Entry(
    fixedMs: 0, cyclesPerUnit: 6, unit: "output element",
    source: "assumed: nearest neighbour with an index computation per element")
  public var resizeFastPath = Entry(
    fixedMs: 0, cyclesPerUnit: 1, unit: "output element",
    source: "assumed: exact 2× nearest, each source byte stored to a 2×2 block")
  public var copy = Entry(
    fixedMs: 0, cyclesPerUnit: 1, unit: "byte", source: "assumed: memcpy-like (concat, pad, crop, slice)")
  public var pooling = Entry(
    fixedMs: 0, cyclesPerUnit: 2, unit: "window tap", source: "assumed: a load and a compare per tap")
  public var elementwise = Entry(
    fixedMs: 0, cyclesPerUnit: 4, unit: "element", source: "assumed: a load, an FPU op and a store")
  public var floatMAC = Entry(
    fixedMs: 0, cyclesPerUnit: 2, unit: "multiply-accumulate",
    source: "assumed: scalar fmadd.s with its loads (float fallback of convolutions and dense layers)")
  /// Post-processing (YOLO decode, sigmoid/exp per output, NMS of the few candidates).
  public var postprocess = Entry(
    fixedMs: 0, cyclesPerUnit: 40, unit: "output element", source: "assumed: a sigmoid or exp per output")
  /// Camera frame → model input (crop/resize of the planar RGB888 frame the DVP writes).
  public var preprocess = Entry(
    fixedMs: 0, cyclesPerUnit: 4, unit: "input byte", source: "assumed: nearest crop/resize, a load and a store")

  /// The table above.
  public init() {}

  /// Milliseconds of `units` of `entry` at `clockMHz`.
  public func milliseconds(_ entry: Entry, units: Int, clockMHz: Double = 400) -> Double {
    entry.fixedMs * calibrationMHz / clockMHz + entry.cyclesPerUnit * Double(units) / (clockMHz * 1e3)
  }

  /// Milliseconds of a DMA transfer of `bytes` into KPU RAM.
  public func dmaMilliseconds(bytes: Int) -> Double { dmaNanosecondsPerByte * Double(bytes) / 1e6 }

  /// Every entry with its name, for reports.
  public var entries: [(name: String, entry: Entry)] {
    [
      ("dequantize", dequantize), ("quantize", quantize), ("download", download), ("upload", upload),
      ("resize", resize), ("resize 2× fast path", resizeFastPath), ("copy", copy), ("pooling", pooling),
      ("elementwise", elementwise), ("float MAC", floatMAC), ("post-processing", postprocess),
      ("preprocessing", preprocess),
    ]
  }
}
