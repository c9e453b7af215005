#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How ``Conv2D`` computes 3×3, stride-1, padding-1 convolutions (every other shape uses
/// im2col + sgemm, or the direct kernels for few channels on wide maps).
///
/// Winograd's F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks",
/// CVPR 2016) needs 2.25× fewer multiplications but rounds differently from the direct sum, so
/// trained numbers move in the last digits.
/// The process-wide default comes from the environment variable `WORKBENCH_CONV`
/// (`im2col`, `winograd` or `auto`; unset means `im2col`); ``Conv2D/algorithm`` overrides it for
/// a scope. The default stays `im2col` (no Winograd) until `auto` is confirmed faster per
/// network on a quiet machine; per layer it was faster on some layers only (see
/// `Conv2D.winogradPays`).
public enum Conv2DAlgorithm: String, Sendable, CaseIterable {
  /// No Winograd: im2col + sgemm, or the direct kernels where they apply.
  case im2col
  /// Winograd F(2×2, 3×3) on every layer it applies to, whatever the cost (for tests and
  /// comparisons).
  case winograd
  /// Winograd where it applies and the layer is of the kind where it was measured faster more
  /// often than not (`Conv2D.winogradPays`), im2col elsewhere.
  case auto

  /// The value of `WORKBENCH_CONV`, or `im2col` when it is unset. An unknown value stops the
  /// process with a sentence naming the accepted ones: a typo must not silently measure the
  /// wrong algorithm.
  public static let fromEnvironment: Conv2DAlgorithm = {
    guard let raw = getenv("WORKBENCH_CONV") else { return .im2col }
    let value = String(cString: raw)
    guard let algorithm = Conv2DAlgorithm(rawValue: value) else {
      preconditionFailure(
        "WORKBENCH_CONV is '\(value)'; set it to one of \(allCases.map(\.rawValue).joined(separator: ", ")) or unset it"
      )
    }
    return algorithm
  }()
}

extension Conv2D {
  /// The algorithm for 3×3 stride-1 convolutions started in this scope; defaults to
  /// ``Conv2DAlgorithm/fromEnvironment``. Set it for a block with
  /// `Conv2D.$algorithm.withValue(.im2col) { … }`. Autograd reads it at the forward pass and
  /// uses the same algorithm for that op's backward.
  @TaskLocal public static var algorithm: Conv2DAlgorithm = .fromEnvironment
}
