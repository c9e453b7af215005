#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin, non-generic wrappers over libm so kernels do not depend on Foundation.
@usableFromInline @inline(__always) func Foundation_log(_ x: Double) -> Double { log(x) }
@usableFromInline @inline(__always) func Foundation_cos(_ x: Double) -> Double { cos(x) }
@usableFromInline @inline(__always) func expf_(_ x: Float) -> Float { expf(x) }
@usableFromInline @inline(__always) func logf_(_ x: Float) -> Float { logf(x) }
@usableFromInline @inline(__always) func tanhf_(_ x: Float) -> Float { tanhf(x) }
@usableFromInline @inline(__always) func sqrtf_(_ x: Float) -> Float { sqrtf(x) }
