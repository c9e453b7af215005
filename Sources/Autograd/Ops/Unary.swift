/// Elementwise unary ops, each with its derivative beside it. Kinks (ReLU at 0, clamp bounds)
/// take the subgradient PyTorch uses: 0 at and beyond the kink.
extension Variable {
  /// An elementwise op given its forward function and its derivative as a function of
  /// (input, output), so rules like sigmoid's can reuse the output.
  func unary(_ name: String, _ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Variable {
    let x = value
    let y = x.map(f)
    return Variable.record(name, y, parents: [self]) { g in
      [Variable.elementwiseGradient(g, x, y) { gi, xi, yi in gi * derivative(xi, yi) }]
    }
  }

  public func relu() -> Variable { unary("relu", { $0 > 0 ? $0 : 0 }) { x, _ in x > 0 ? 1 : 0 } }
  public func relu6() -> Variable {
    unary("relu6", { Swift.min(Swift.max($0, 0), 6) }) { x, _ in x > 0 && x < 6 ? 1 : 0 }
  }
  /// Leaky ReLU: it follows every convolution of the YOLO-style networks, so both directions
  /// are single passes into fresh storage.
  public func leakyRelu(_ slope: Float = 0.1) -> Variable {
    let x = value
    return Variable.record("leakyRelu", x.leakyRelu(slope), parents: [self]) { g in
      [Variable.elementwiseGradient(g, x, x) { gi, xi, _ in xi > 0 ? gi : slope * gi }]
    }
  }
  public func sigmoid() -> Variable { unary("sigmoid", Tensor.sigmoid) { _, y in y * (1 - y) } }
  public func tanh() -> Variable { unary("tanh", { LibM.tanh($0) }) { _, y in 1 - y * y } }
  public func exp() -> Variable { unary("exp", { LibM.exp($0) }) { _, y in y } }
  public func log() -> Variable { unary("log", { LibM.log($0) }) { x, _ in 1 / x } }
  public func sqrt() -> Variable { unary("sqrt", { $0.squareRoot() }) { _, y in 0.5 / y } }
  public func abs() -> Variable { unary("abs", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
  public func squared() -> Variable { unary("square", { $0 * $0 }) { x, _ in 2 * x } }
  public func clamped(_ low: Float, _ high: Float) -> Variable {
    unary("clamp", { Swift.min(Swift.max($0, low), high) }) { x, _ in x > low && x < high ? 1 : 0 }
  }
  public func pow(_ p: Float) -> Variable {
    unary("pow", { LibM.pow($0, p) }) { x, _ in p * LibM.pow(x, p - 1) }
  }
}

extension Variable {
  /// dx[i] = rule(g[i], x[i], y[i]) in one pass into fresh storage (no copy of `g` first).
  @inline(__always)
  static func elementwiseGradient(
    _ g: Tensor<Float>, _ x: Tensor<Float>, _ y: Tensor<Float>,
    _ rule: (Float, Float, Float) -> Float
  ) -> Tensor<Float> {
    precondition(
      g.shape == x.shape && y.count == x.count,
      "elementwise backward: gradient \(g.shape) and input \(x.shape) differ")
    let dx = [Float](unsafeUninitializedCapacity: g.count) { dst, initialized in
      g.scalars.withUnsafeBufferPointer { pg in
        x.scalars.withUnsafeBufferPointer { px in
          y.scalars.withUnsafeBufferPointer { py in
            for i in 0..<pg.count { dst[i] = rule(pg[i], px[i], py[i]) }
          }
        }
      }
      initialized = g.count
    }
    return Tensor(shape: x.shape, scalars: dx)
  }
}
