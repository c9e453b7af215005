/// Shape and data-movement ops; each backward is the inverse movement of the gradient.
extension Variable {
  public func reshaped(_ newShape: [Int]) -> Variable {
    let inShape = shape
    return Variable.record("reshape", value.reshaped(newShape), parents: [self]) { g in [g.reshaped(inShape)] }
  }

  /// Flattens all axes after the first: [N, …] → [N, rest].
  public func flattened() -> Variable { reshaped([shape[0], -1]) }

  public func transposed(_ permutation: [Int]) -> Variable {
    var inverse = [Int](repeating: 0, count: permutation.count)
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    return Variable.record("transpose", value.transposed(permutation), parents: [self]) { g in [g.transposed(inverse)] }
  }

  /// Joins variables along `axis`.
  public static func concat(_ parts: [Variable], axis: Int) -> Variable {
    let sizes = parts.map { $0.shape[axis < 0 ? axis + $0.value.rank : axis] }
    return record("concat", Tensor.concat(parts.map(\.value), axis: axis), parents: parts) { g in
      g.split(sizes: sizes, axis: axis)
    }
  }

  /// Splits along `axis` into pieces of the given sizes.
  public func split(sizes: [Int], axis: Int) -> [Variable] {
    let a = axis < 0 ? axis + value.rank : axis
    var start = 0
    return sizes.map { size in
      defer { start += size }
      var ranges = shape.map { 0..<$0 }
      ranges[a] = start..<(start + size)
      return slice(ranges)
    }
  }

  /// The sub-tensor selected by one range per axis; the gradient is zero elsewhere.
  public func slice(_ ranges: [Range<Int>]) -> Variable {
    let inShape = shape
    return Variable.record("slice", value.slice(ranges), parents: [self]) { g in
      var dx = Tensor<Float>(zeros: inShape)
      dx.assign(g, at: ranges.map(\.lowerBound))
      return [dx]
    }
  }

  /// Constant padding, `(before, after)` per axis; the gradient is the interior slice.
  public func padded(_ padding: [(before: Int, after: Int)], value fill: Float = 0) -> Variable {
    let inShape = shape
    return Variable.record("pad", value.padded(padding, value: fill), parents: [self]) { g in
      [g.slice(zip(padding, inShape).map { $0.before..<($0.before + $1) })]
    }
  }
}
