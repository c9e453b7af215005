/// Data movement: transpose, concat, split, pad, slice. Generic, so quantized tensors share them.
extension Tensor {
  /// Permutes the axes: output axis `i` is input axis `permutation[i]`.
  public func transposed(_ permutation: [Int]) -> Tensor {
    precondition(
      permutation.sorted() == Array(0..<rank),
      "transpose: \(permutation) is not a permutation of the \(rank) axes of \(shape)")
    let outShape = permutation.map { shape[$0] }
    let inStrides = strides
    let s = permutation.map { inStrides[$0] }
    var out = [Scalar].uninitialized(count: count)  // every element is written below
    scalars.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        Tensor.forEachBroadcast(outShape, s, s) { o, i, _ in dst[o] = src[i] }
      }
    }
    return Tensor(shape: outShape, scalars: out)
  }

  /// The transpose of a matrix.
  public var t: Tensor { transposed([1, 0]) }

  /// Joins tensors along `axis`; all other extents must agree.
  public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "concat: no tensors")
    let r = parts[0].rank
    let ax = axis < 0 ? axis + r : axis
    for p in parts {
      precondition(
        p.rank == r && (0..<r).allSatisfy { $0 == ax || p.shape[$0] == parts[0].shape[$0] },
        "concat: shapes \(parts.map(\.shape)) differ outside axis \(ax)")
    }
    let outer = Array(parts[0].shape[..<ax]).product
    let inner = Array(parts[0].shape[(ax + 1)...]).product
    var outShape = parts[0].shape
    outShape[ax] = parts.map { $0.shape[ax] }.reduce(0, +)
    var out = [Scalar]()
    out.reserveCapacity(outShape.product)
    for o in 0..<outer {
      for p in parts {
        let len = p.shape[ax] * inner
        out.append(contentsOf: p.scalars[(o * len)..<((o + 1) * len)])
      }
    }
    return Tensor(shape: outShape, scalars: out)
  }

  /// Splits along `axis` into pieces of the given sizes (which must add up to the extent).
  public func split(sizes: [Int], axis: Int) -> [Tensor] {
    let ax = axis < 0 ? axis + rank : axis
    precondition(
      sizes.reduce(0, +) == shape[ax],
      "split: sizes \(sizes) do not add up to extent \(shape[ax]) of axis \(ax) in \(shape)")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      var ranges = shape.map { 0..<$0 }
      ranges[ax] = start..<(start + size)
      return slice(ranges)
    }
  }

  /// The sub-tensor selected by one half-open range per axis. Copied in runs: the trailing
  /// axes taken whole, together with the range of the axis before them, are one contiguous run
  /// of the source (a channel slice of NCHW copies whole planes at a time).
  public func slice(_ ranges: [Range<Int>]) -> Tensor {
    precondition(
      ranges.count == rank && Swift.zip(ranges, shape).allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= $1 },
      "slice: ranges \(ranges) do not fit shape \(shape)")
    let outShape = ranges.map(\.count)
    let st = strides
    let base = Swift.zip(ranges, st).map { $0.lowerBound * $1 }.reduce(0, +)
    // the run: axes from `axis` on; the axes before it are walked one run at a time
    var axis = rank - 1, run = 1
    while axis >= 0 && ranges[axis].count == shape[axis] {
      run *= shape[axis]
      axis -= 1
    }
    if axis >= 0 { run *= ranges[axis].count }
    let outer = Array(outShape[..<Swift.max(axis, 0)]), outerStrides = Array(st[..<Swift.max(axis, 0)])
    // every element is written below (the runs tile the output); zero-filling it in this
    // generic code, unspecialized when called from another module, copied one element at a
    // time through the value witness (0.7% of a tiny YOLO training step, in concat's backward)
    var out = [Scalar].uninitialized(count: outShape.product)
    guard run > 0 else { return Tensor(shape: outShape, scalars: out) }
    scalars.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        guard let s = src.baseAddress, let d = dst.baseAddress else { return }
        Tensor.forEachBroadcast(outer, outerStrides, outerStrides) { o, i, _ in
          (d + o * run).update(from: s + base + i, count: run)
        }
      }
    }
    return Tensor(shape: outShape, scalars: out)
  }

  /// Pads each axis with `value`: `padding[i] = (before, after)`.
  public func padded(_ padding: [(before: Int, after: Int)], value: Scalar = 0) -> Tensor {
    precondition(
      padding.count == rank && padding.allSatisfy { $0.before >= 0 && $0.after >= 0 },
      "pad: need one non-negative (before, after) per axis of \(shape)")
    let outShape = Swift.zip(shape, padding).map { $0 + $1.before + $1.after }
    var out = Tensor(repeating: value, shape: outShape)
    out.assign(self, at: padding.map(\.before))
    return out
  }

  /// Writes `source` into this tensor starting at `origin` (one offset per axis).
  public mutating func assign(_ source: Tensor, at origin: [Int]) {
    precondition(origin.count == rank && source.rank == rank, "assign: rank mismatch \(source.shape) into \(shape)")
    let dstStrides = strides
    let base = Swift.zip(origin, dstStrides).map(*).reduce(0, +)
    let srcStrides = source.strides
    source.scalars.withUnsafeBufferPointer { src in
      scalars.withUnsafeMutableBufferPointer { dst in
        Tensor.forEachBroadcast(source.shape, dstStrides, srcStrides) { _, d, s in dst[base + d] = src[s] }
      }
    }
  }
}
