#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The vector extensions of the CPU this process runs on, read once from /proc/cpuinfo.
///
/// Library code is compiled for the build machine's CPU (`-target-cpu native`), so a
/// `SIMD16<Float>` is one 512-bit register with AVX-512 but two 256-bit ones with AVX2, where
/// there are 16 vector registers instead of 32. Kernels that keep many accumulators in
/// registers (the direct convolution kernels) pick their register block from
/// ``hasWideVectors`` (through `Conv2D.wideDirectKernels`): the same sums in the same order
/// either way, so results do not depend on it — except on 3×3 layers with rows of 12 to 15
/// outputs, which only the narrow (AVX2) kernels sum directly, as runs (im2col with AVX-512).
enum CPUFeatures {
  /// The `flags` line of /proc/cpuinfo (empty where there is none, e.g. macOS).
  static let flags: Set<String> = {
    guard let f = fopen("/proc/cpuinfo", "r") else { return [] }
    defer { fclose(f) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var cap = 0
    defer { free(line) }
    while getline(&line, &cap, f) > 0 {
      guard let l = line else { break }
      let s = String(cString: l)
      guard s.hasPrefix("flags") else { continue }
      return Set(s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
    }
    return []
  }()

  /// Whether the CPU has AVX-512 (32 registers of 16 floats). Without it (AVX2: 16 registers of
  /// 8 floats) the direct kernels keep a quarter of their accumulators per pass.
  static let hasWideVectors = flags.contains("avx512f")
}
