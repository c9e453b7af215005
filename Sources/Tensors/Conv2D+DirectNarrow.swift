/// The direct kernels' inner sums for CPUs with 16 vector registers (AVX2), where a
/// `SIMD16<Float>` takes two of them.
///
/// ``Conv2D/sumTwoVectors(_:second:planeSize:paddedWidth:channels:kernelHeight:taps:tapStride:bias:into:secondOut:planeStride:counts:)``
/// keeps 16 such vectors (8 output channels × 2) and ``Conv2D/accumulate8(_:plane:length:into:outputStride:)``
/// 24: with AVX2 that is 32 and 48 registers, and the spills ran the kernels at a third of
/// sgemm's rate. These do the same sums for two output channels at a time (8 and 12 registers),
/// each lane in the same order, so the results are bit-identical to the wide kernels'.
extension Conv2D {
  /// Whether the direct kernels keep their wide register block (8 output channels per pass),
  /// as on CPUs with AVX-512 (``CPUFeatures/hasWideVectors``), or take the passes of two below.
  /// Results are the same bits either way; tests set it for a scope with
  /// `Conv2D.$wideDirectKernels.withValue(false) { … }` to run both on any CPU.
  @TaskLocal static var wideDirectKernels = CPUFeatures.hasWideVectors

  /// ``sumTwoVectors(_:second:planeSize:paddedWidth:channels:kernelHeight:taps:tapStride:bias:into:secondOut:planeStride:counts:)``
  /// for 8 output channels as four passes of two.
  @inline(__always)
  static func sumTwoVectorsNarrow(
    _ x: UnsafePointer<Float>, second: Int, planeSize: Int, paddedWidth: Int, channels: Int, kernelHeight: Int,
    taps: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>, secondOut: Int, planeStride: Int, counts: (Int, Int)
  ) {
    for pair in stride(from: 0, to: directOutputBlock, by: 2) {
      sumTwoVectorsOfTwoChannels(
        x, second: second, planeSize: planeSize, paddedWidth: paddedWidth, channels: channels,
        kernelHeight: kernelHeight, taps: taps + pair, tapStride: tapStride, bias: bias + pair,
        into: out + pair * planeStride, secondOut: secondOut, planeStride: planeStride, counts: counts)
    }
  }

  /// Two vectors of outputs for two output channels (their weights at `taps[0]`, `taps[1]` of
  /// each tap), as ``sumTwoVectors(_:second:planeSize:paddedWidth:channels:kernelHeight:taps:tapStride:bias:into:secondOut:planeStride:counts:)``
  /// computes them for eight.
  @inline(never)
  static func sumTwoVectorsOfTwoChannels(
    _ x: UnsafePointer<Float>, second: Int, planeSize: Int, paddedWidth: Int, channels: Int, kernelHeight: Int,
    taps: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>, secondOut: Int, planeStride: Int, counts: (Int, Int)
  ) {
    typealias V = SIMD16<Float>
    var a0 = V(repeating: bias[0]), b0 = a0, a1 = V(repeating: bias[1]), b1 = a1
    let secondBytes = 4 * second
    var w = taps
    for c in 0..<channels {
      for ki in 0..<kernelHeight {
        let row = UnsafeRawPointer(x + c * planeSize + ki * paddedWidth)
        for kj in 0..<3 {
          let xa = row.loadUnaligned(fromByteOffset: 4 * kj, as: V.self)
          let xb = row.loadUnaligned(fromByteOffset: 4 * kj + secondBytes, as: V.self)
          var s = V(repeating: w[0])
          a0.addProduct(s, xa)
          b0.addProduct(s, xb)
          s = V(repeating: w[1])
          a1.addProduct(s, xa)
          b1.addProduct(s, xb)
          w += tapStride
        }
      }
    }
    let (n0, n1) = counts
    store(a0, out, n0)
    store(b0, out + secondOut, n1)
    store(a1, out + planeStride, n0)
    store(b1, out + planeStride + secondOut, n1)
  }

  /// ``accumulate8(_:plane:length:into:outputStride:)`` for 8 dy planes as four passes of two.
  @inline(__always)
  static func accumulate8Narrow(
    _ dy: UnsafePointer<Float>, plane: UnsafePointer<Float>, length: Int, into out: UnsafeMutablePointer<Float>,
    outputStride: Int
  ) {
    for pair in stride(from: 0, to: directOutputBlock, by: 2) {
      accumulate2(
        dy + pair * length, plane: plane, length: length, into: out + pair * outputStride, outputStride: outputStride)
    }
  }

  /// ``accumulate8(_:plane:length:into:outputStride:)`` for two dy planes: 6 accumulators.
  @inline(never)
  static func accumulate2(
    _ dy: UnsafePointer<Float>, plane: UnsafePointer<Float>, length: Int, into out: UnsafeMutablePointer<Float>,
    outputStride: Int
  ) {
    typealias V = SIMD16<Float>
    var a00 = V(), a01 = V(), a02 = V(), a10 = V(), a11 = V(), a12 = V()
    let xr = UnsafeRawPointer(plane), d0 = UnsafeRawPointer(dy), planeBytes = 4 * length
    var byte = 0
    while byte < planeBytes {
      let x0 = xr.loadUnaligned(fromByteOffset: byte, as: V.self)
      let x1 = xr.loadUnaligned(fromByteOffset: byte + 4, as: V.self)
      let x2 = xr.loadUnaligned(fromByteOffset: byte + 8, as: V.self)
      var d = d0.loadUnaligned(fromByteOffset: byte, as: V.self)
      a00.addProduct(d, x0)
      a01.addProduct(d, x1)
      a02.addProduct(d, x2)
      d = d0.loadUnaligned(fromByteOffset: planeBytes + byte, as: V.self)
      a10.addProduct(d, x0)
      a11.addProduct(d, x1)
      a12.addProduct(d, x2)
      byte += 64
    }
    store3(a00, a01, a02, out)
    store3(a10, a11, a12, out + outputStride)
  }
}
