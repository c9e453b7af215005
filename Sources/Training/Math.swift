#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func expf_(_ x: Float) -> Float { expf(x) }
@inline(__always) func logf_(_ x: Float) -> Float { logf(x) }
@inline(__always) func log1pf_(_ x: Float) -> Float { log1pf(x) }
@inline(__always) func atanf_(_ x: Float) -> Float { atanf(x) }
@inline(__always) func cosd_(_ x: Double) -> Double { cos(x) }
@inline(__always) func powd_(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func sqrtd_(_ x: Double) -> Double { x.squareRoot() }
