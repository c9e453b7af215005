/// NumPy-style broadcasting rules shared by every binary elementwise op and by the autograd's
/// central gradient reduction.
public enum Broadcast {
  /// The broadcast shape of two shapes (right-aligned; extents must match or be 1), or `nil`.
  public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
  }

  /// Strides for reading a tensor of `shape` as if it had shape `target` (0 on broadcast axes).
  public static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
    let own = shape.rowMajorStrides
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
      i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
    }
  }
}

extension Tensor {
  /// Calls `body(outIndex, aIndex, bIndex)` for every element of the broadcast of two shapes,
  /// in row-major order of the output. The innermost axis is a tight loop.
  @inlinable
  static func forEachBroadcast(
    _ shape: [Int], _ sa: [Int], _ sb: [Int], _ body: (Int, Int, Int) -> Void
  ) {
    let rank = shape.count
    let n = shape.product
    if n == 0 { return }
    if rank == 0 { body(0, 0, 0); return }
    let inner = shape[rank - 1]
    let ia = sa[rank - 1], ib = sb[rank - 1]
    var idx = [Int](repeating: 0, count: rank)
    var baseA = 0, baseB = 0, o = 0
    while o < n {
      var pa = baseA, pb = baseB
      for _ in 0..<inner {
        body(o, pa, pb)
        o += 1; pa += ia; pb += ib
      }
      // advance the outer multi-index
      var axis = rank - 2
      while axis >= 0 {
        idx[axis] += 1
        baseA += sa[axis]; baseB += sb[axis]
        if idx[axis] < shape[axis] { break }
        baseA -= sa[axis] * shape[axis]; baseB -= sb[axis] * shape[axis]
        idx[axis] = 0
        axis -= 1
      }
    }
  }

  /// Materialises this tensor broadcast to `target`.
  public func broadcast(to target: [Int]) -> Tensor {
    if shape == target { return self }
    precondition(Broadcast.shape(shape, target) == target, "broadcast: cannot broadcast \(shape) to \(target)")
    let s = Broadcast.strides(of: shape, broadcastTo: target)
    var out = [Scalar].uninitialized(count: target.product)  // every element is written below
    scalars.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        Tensor.forEachBroadcast(target, s, s) { o, a, _ in dst[o] = src[a] }
      }
    }
    return Tensor(shape: target, scalars: out)
  }
}
