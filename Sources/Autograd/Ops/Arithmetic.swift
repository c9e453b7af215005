/// Broadcasting arithmetic. Backward rules return gradients in the broadcast shape; the tape
/// reduces them to each operand's shape centrally (``Variable/record(_:_:parents:backward:)``).
extension Variable {
  public static func + (a: Variable, b: Variable) -> Variable {
    record("add", a.value + b.value, parents: [a, b]) { g in [g, g] }
  }

  public static func - (a: Variable, b: Variable) -> Variable {
    record("sub", a.value - b.value, parents: [a, b]) { g in [g, -g] }
  }

  public static func * (a: Variable, b: Variable) -> Variable {
    let (x, y) = (a.value, b.value)
    return record("mul", x * y, parents: [a, b]) { g in [g * y, g * x] }
  }

  public static func / (a: Variable, b: Variable) -> Variable {
    let (x, y) = (a.value, b.value)
    return record("div", x / y, parents: [a, b]) { g in [g / y, Tensor.zip(g, Tensor.zip(x, y) { -$0 / ($1 * $1) }, *)]
    }
  }

  public static prefix func - (a: Variable) -> Variable {
    record("neg", -a.value, parents: [a]) { g in [-g] }
  }

  public static func + (a: Variable, s: Float) -> Variable {
    record("addScalar", a.value + s, parents: [a]) { g in [g] }
  }

  public static func - (a: Variable, s: Float) -> Variable { a + (-s) }

  public static func * (a: Variable, s: Float) -> Variable {
    record("mulScalar", a.value * s, parents: [a]) { g in [g * s] }
  }

  public static func * (s: Float, a: Variable) -> Variable { a * s }
  public static func / (a: Variable, s: Float) -> Variable { a * (1 / s) }
}
