/// Elementwise arithmetic with broadcasting, and unary activations, on Float tensors.
extension Tensor where Scalar == Float {
  /// Applies `op` elementwise to two broadcast-compatible tensors.
  @inlinable
  public static func zip(_ a: Tensor, _ b: Tensor, name: String = "elementwise", _ op: (Float, Float) -> Float)
    -> Tensor
  {
    if a.shape == b.shape {
      var out = [Float](repeating: 0, count: a.count)
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          out.withUnsafeMutableBufferPointer { po in
            for i in 0..<po.count { po[i] = op(pa[i], pb[i]) }
          }
        }
      }
      return Tensor(shape: a.shape, scalars: out)
    }
    guard let shape = Broadcast.shape(a.shape, b.shape) else {
      preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let sa = Broadcast.strides(of: a.shape, broadcastTo: shape)
    let sb = Broadcast.strides(of: b.shape, broadcastTo: shape)
    var out = [Float](repeating: 0, count: shape.product)
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        out.withUnsafeMutableBufferPointer { po in
          forEachBroadcast(shape, sa, sb) { o, i, j in po[o] = op(pa[i], pb[j]) }
        }
      }
    }
    return Tensor(shape: shape, scalars: out)
  }

  /// Applies `op` to every element.
  @inlinable
  public func map(_ op: (Float) -> Float) -> Tensor {
    // One pass from the source into fresh storage (copying first and then mutating would read
    // and write everything twice).
    let out = [Float](unsafeUninitializedCapacity: count) { dst, initialized in
      scalars.withUnsafeBufferPointer { src in
        for i in 0..<src.count { dst[i] = op(src[i]) }
      }
      initialized = count
    }
    return Tensor(shape: shape, scalars: out)
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, name: "add", +) }
  public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, name: "sub", -) }
  public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, name: "mul", *) }
  public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, name: "div", /) }
  public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
  public static func - (a: Tensor, s: Float) -> Tensor { a.map { $0 - s } }
  public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
  public static func / (a: Tensor, s: Float) -> Tensor { a.map { $0 / s } }
  public static func * (s: Float, a: Tensor) -> Tensor { a.map { s * $0 } }
  public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

  /// In-place `self += other` for equal shapes (the optimizer and gradient accumulation path).
  public mutating func addInPlace(_ other: Tensor, scale: Float = 1) {
    precondition(shape == other.shape, "addInPlace: shapes \(shape) and \(other.shape) differ")
    other.scalars.withUnsafeBufferPointer { src in
      scalars.withUnsafeMutableBufferPointer { dst in
        for i in 0..<dst.count { dst[i] += scale * src[i] }
      }
    }
  }

  /// Elementwise maximum and minimum.
  public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, name: "maximum") { Swift.max($0, $1) } }
  public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, name: "minimum") { Swift.min($0, $1) } }

  public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }
  public func relu6() -> Tensor { map { Swift.min(Swift.max($0, 0), 6) } }
  public func leakyRelu(_ slope: Float) -> Tensor { map { $0 > 0 ? $0 : slope * $0 } }
  public func sigmoid() -> Tensor { map { Tensor.sigmoid($0) } }
  public func tanh() -> Tensor { map { LibM.tanh($0) } }
  public func exp() -> Tensor { map { LibM.exp($0) } }
  public func log() -> Tensor { map { LibM.log($0) } }
  public func sqrt() -> Tensor { map { LibM.sqrt($0) } }
  public func abs() -> Tensor { map { Swift.abs($0) } }
  public func squared() -> Tensor { map { $0 * $0 } }
  public func clamped(_ low: Float, _ high: Float) -> Tensor { map { Swift.min(Swift.max($0, low), high) } }

  /// A numerically stable logistic function.
  @inlinable
  public static func sigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + LibM.exp(-x)) }
    let e = LibM.exp(x)
    return e / (1 + e)
  }

  /// True when every element is finite (no NaN or ±Inf); one vectorised pass (the training
  /// loop checks every gradient with it after each step).
  public var isFinite: Bool {
    scalars.withUnsafeBufferPointer { p in p.baseAddress.map { VectorSums.allFinite($0, p.count) } ?? true }
  }
}
