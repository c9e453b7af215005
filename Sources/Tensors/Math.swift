#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C library's elementary functions for `Float` and `Double`, under one name for every
/// target (Tensors, Autograd, Training), so kernels need neither Foundation nor platform
/// `#if`s of their own. Inlined: a call costs what the libm call costs.
public enum LibM {
  @inlinable @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
  @inlinable @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
  @inlinable @inline(__always) public static func log1p(_ x: Float) -> Float { log1pf(x) }
  @inlinable @inline(__always) public static func tanh(_ x: Float) -> Float { tanhf(x) }
  @inlinable @inline(__always) public static func atan(_ x: Float) -> Float { atanf(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
  @inlinable @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
  @inlinable @inline(__always) public static func log(_ x: Double) -> Double { cLog(x) }
  @inlinable @inline(__always) public static func cos(_ x: Double) -> Double { cCos(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
  @inlinable @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
}

// The C names, reachable from inside `LibM` (where `log`, `cos` and `pow` mean its own members).
@usableFromInline @inline(__always) func cLog(_ x: Double) -> Double { log(x) }
@usableFromInline @inline(__always) func cCos(_ x: Double) -> Double { cos(x) }
@usableFromInline @inline(__always) func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
