/// The register blocks of the direct convolution kernels: the accumulators that one pass of a
/// kernel's loop keeps in vector registers.
///
/// With AVX-512 (32 registers of 16 floats) the kernels keep 8 output channels per pass: 16
/// vectors in the forward pass, 24 in the weight gradient. With AVX2 a `SIMD16<Float>` takes two
/// of its 16 registers, so that block needs 32 and 48 and spilled: the kernels ran at a third
/// of sgemm's rate on an AVX2 EPYC. There the weight gradient takes two dy planes per pass (12
/// registers) in four passes, and the forward pass tiles of six 8-wide vectors for two output
/// channels (12 registers; `Conv2D+DirectTiles.swift`), or on rows of 12 to 16 outputs five
/// consecutive vectors of a run (`Conv2D+DirectRuns.swift`). Every lane is summed in the same
/// order either way, so the results are the same bits wherever both take the direct kernels
/// (``Conv2D/wideDirectKernels`` chooses; tests run both). Rows of 12 to 15 are the exception:
/// the narrow kernels sum them as runs, the wide ones leave them to im2col.
extension Conv2D {
  /// Whether the direct kernels keep 8 output channels per pass (CPUs with AVX-512,
  /// ``CPUFeatures/hasWideVectors``) or 2 — and so whether rows of 12 to 16 take the runs
  /// (narrow only, ``usesRuns(_:_:)``). Tests set it for a scope with
  /// `Conv2D.$wideDirectKernels.withValue(false) { … }` to run both blocks on any CPU.
  @TaskLocal static var wideDirectKernels = CPUFeatures.hasWideVectors

  /// Two output channels' vectors of the wide forward block: 4 AVX-512 registers.
  struct TwoChannelVectors {
    var a0: SIMD16<Float>, b0: SIMD16<Float>, a1: SIMD16<Float>, b1: SIMD16<Float>

    /// Every output starts at its channel's bias (`bias[k]` for channel k).
    @inline(__always)
    init(bias: UnsafePointer<Float>) {
      (a0, a1) = (SIMD16(repeating: bias[0]), SIMD16(repeating: bias[1]))
      (b0, b1) = (a0, a1)
    }

    /// Adds `w[k]` times `xa` and `xb` to channel k's two vectors.
    @inline(__always)
    mutating func add(_ w: UnsafePointer<Float>, _ xa: SIMD16<Float>, _ xb: SIMD16<Float>) {
      var s = SIMD16<Float>(repeating: w[0])
      a0.addProduct(s, xa)
      b0.addProduct(s, xb)
      s = SIMD16<Float>(repeating: w[1])
      a1.addProduct(s, xa)
      b1.addProduct(s, xb)
    }

    /// Stores channel k's vectors at `out + k·planeStride` (the first `counts.0` lanes) and
    /// `out + k·planeStride + secondOut` (the first `counts.1`).
    @inline(__always)
    func store(_ out: UnsafeMutablePointer<Float>, secondOut: Int, planeStride: Int, counts: (Int, Int)) {
      Conv2D.store(a0, out, counts.0)
      Conv2D.store(b0, out + secondOut, counts.1)
      Conv2D.store(a1, out + planeStride, counts.0)
      Conv2D.store(b1, out + planeStride + secondOut, counts.1)
    }
  }

  /// The accumulators of the wide direct forward pass (see
  /// ``sumTwoVectors(_:second:rowOffsets:rowCount:taps:bias:into:secondOut:planeStride:counts:)``):
  /// two vectors of 16 outputs for each of ``directOutputBlock`` output channels, 16 AVX-512
  /// registers. (Without AVX-512 the forward pass takes ``sumTileInPairs(_:tile:rowOffsets:rowCount:taps:bias:into:planeStride:)``,
  /// or ``sumRunTile(_:rowOffsets:rowCount:taps:bias:into:planeStride:)`` on rows of 12 to 16.)
  struct EightChannelVectors {
    var p0: TwoChannelVectors, p1: TwoChannelVectors, p2: TwoChannelVectors, p3: TwoChannelVectors

    @inline(__always)
    init(bias: UnsafePointer<Float>) {
      (p0, p1) = (TwoChannelVectors(bias: bias), TwoChannelVectors(bias: bias + 2))
      (p2, p3) = (TwoChannelVectors(bias: bias + 4), TwoChannelVectors(bias: bias + 6))
    }

    @inline(__always)
    mutating func add(_ w: UnsafePointer<Float>, _ xa: SIMD16<Float>, _ xb: SIMD16<Float>) {
      p0.add(w, xa, xb)
      p1.add(w + 2, xa, xb)
      p2.add(w + 4, xa, xb)
      p3.add(w + 6, xa, xb)
    }

    @inline(__always)
    func store(_ out: UnsafeMutablePointer<Float>, secondOut: Int, planeStride: Int, counts: (Int, Int)) {
      p0.store(out, secondOut: secondOut, planeStride: planeStride, counts: counts)
      p1.store(out + 2 * planeStride, secondOut: secondOut, planeStride: planeStride, counts: counts)
      p2.store(out + 4 * planeStride, secondOut: secondOut, planeStride: planeStride, counts: counts)
      p3.store(out + 6 * planeStride, secondOut: secondOut, planeStride: planeStride, counts: counts)
    }
  }

  /// The accumulators of the direct weight gradient for some dy planes: each plane's dot
  /// products with the input plane at the three taps of a kernel row, in 16 lanes (see
  /// ``accumulate(_:_:plane:length:into:outputStride:)``).
  protocol WeightGradientBlock {
    /// dy planes per block.
    static var planes: Int { get }
    init()
    /// Adds the 16 values of each dy plane at `byte` (planes `planeBytes` apart from `dy`)
    /// times `x0`, `x1`, `x2` to that plane's three accumulators.
    mutating func add(
      _ dy: UnsafeRawPointer, byte: Int, planeBytes: Int, _ x0: SIMD16<Float>, _ x1: SIMD16<Float>,
      _ x2: SIMD16<Float>)
    /// Adds each accumulator's lane sum to out[k·outputStride + j] (plane k, tap j).
    func store(_ out: UnsafeMutablePointer<Float>, outputStride: Int)
  }

  /// Two dy planes' accumulators: 6 registers with AVX-512, 12 with AVX2.
  struct TwoPlaneTaps: WeightGradientBlock {
    static var planes: Int { 2 }
    var a00 = SIMD16<Float>(), a01 = SIMD16<Float>(), a02 = SIMD16<Float>()
    var a10 = SIMD16<Float>(), a11 = SIMD16<Float>(), a12 = SIMD16<Float>()

    @inline(__always)
    init() {}

    @inline(__always)
    mutating func add(
      _ dy: UnsafeRawPointer, byte: Int, planeBytes: Int, _ x0: SIMD16<Float>, _ x1: SIMD16<Float>,
      _ x2: SIMD16<Float>
    ) {
      var d = dy.loadUnaligned(fromByteOffset: byte, as: SIMD16<Float>.self)
      a00.addProduct(d, x0)
      a01.addProduct(d, x1)
      a02.addProduct(d, x2)
      d = dy.loadUnaligned(fromByteOffset: planeBytes + byte, as: SIMD16<Float>.self)
      a10.addProduct(d, x0)
      a11.addProduct(d, x1)
      a12.addProduct(d, x2)
    }

    @inline(__always)
    func store(_ out: UnsafeMutablePointer<Float>, outputStride: Int) {
      Conv2D.store3(a00, a01, a02, out)
      Conv2D.store3(a10, a11, a12, out + outputStride)
    }
  }

  /// Eight dy planes' accumulators (``directOutputBlock``): 24 registers with AVX-512.
  struct EightPlaneTaps: WeightGradientBlock {
    static var planes: Int { 8 }
    var p0 = TwoPlaneTaps(), p1 = TwoPlaneTaps(), p2 = TwoPlaneTaps(), p3 = TwoPlaneTaps()

    @inline(__always)
    init() {}

    @inline(__always)
    mutating func add(
      _ dy: UnsafeRawPointer, byte: Int, planeBytes: Int, _ x0: SIMD16<Float>, _ x1: SIMD16<Float>,
      _ x2: SIMD16<Float>
    ) {
      p0.add(dy, byte: byte, planeBytes: planeBytes, x0, x1, x2)
      p1.add(dy + 2 * planeBytes, byte: byte, planeBytes: planeBytes, x0, x1, x2)
      p2.add(dy + 4 * planeBytes, byte: byte, planeBytes: planeBytes, x0, x1, x2)
      p3.add(dy + 6 * planeBytes, byte: byte, planeBytes: planeBytes, x0, x1, x2)
    }

    @inline(__always)
    func store(_ out: UnsafeMutablePointer<Float>, outputStride: Int) {
      p0.store(out, outputStride: outputStride)
      p1.store(out + 2 * outputStride, outputStride: outputStride)
      p2.store(out + 4 * outputStride, outputStride: outputStride)
      p3.store(out + 6 * outputStride, outputStride: outputStride)
    }
  }
}
