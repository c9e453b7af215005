extension V5Machine {
  /// REDUCE_WINDOW2D (float32; nncase 1.9's reference kernel): per output pixel, the taps of the
  /// window inside the map folded from the initial value (mean divides by their count), then
  /// clamped to the fused range.
  mutating func reduceWindow(_ p: [UInt8]) throws {
    var r = ByteReader(p)
    let head = try r.take(5, "REDUCE_WINDOW2D's types")
    let (type, reduce) = (head[0], head[1])
    let (rs, ri, ro) = (head[2], head[3], head[4])
    let geometry = try (0..<6).map { _ in
      Int(try r.take(2, "REDUCE_WINDOW2D's window").reversed().reduce(0) { $0 << 8 | Int($1) })
    }
    let (low, high) = (try r.f32("the clamp low"), try r.f32("the clamp high"))
    let (kh, kw, sh, sw, dh, dw) = (geometry[0], geometry[1], geometry[2], geometry[3], geometry[4], geometry[5])
    var pads: [Int] = []
    for _ in 0..<6 { pads.insert(try popInt("a padding"), at: 0) }
    let output = try popAddress("the output"), initial = try popFloat("the initial value")
    let input = try popAddress("the input")
    guard type == 9, reduce <= 3, kh > 0, kw > 0, sh > 0, sw > 0, dh > 0, dw > 0 else {
      throw KModelError.malformed("REDUCE_WINDOW2D of type \(type), reduction \(reduce) or an empty window")
    }
    let s = try register(rs)
    guard s.count == 4 else { throw KModelError.malformed("REDUCE_WINDOW2D of a rank-\(s.count) tensor") }
    let (padH, padW) = ((pads[0], pads[1]), (pads[3], pads[4]))
    let oh = (s[2] + padH.0 + padH.1 - dh * (kh - 1) - 1) / sh + 1
    let ow = (s[3] + padW.0 + padW.1 - dw * (kw - 1) - 1) / sw + 1
    let x = try floats(input, (try Self.offsets(s, try register(ri)).max() ?? -1) + 1)
    let inStrides = try register(ri)
    var y: [Float] = []
    y.reserveCapacity(s[0] * s[1] * oh * ow)
    for n in 0..<s[0] {
      for c in 0..<s[1] {
        for oy in 0..<oh {
          for ox in 0..<ow {
            let (y0, x0) = (oy * sh - padH.0, ox * sw - padW.0)
            var v = initial, taps = 0
            for ky in 0..<kh {
              let iy = y0 + dh * ky
              guard iy >= 0, iy < s[2] else { continue }
              for kx in 0..<kw {
                let ix = x0 + dw * kx
                guard ix >= 0, ix < s[3] else { continue }
                let t = x[n * inStrides[0] + c * inStrides[1] + iy * inStrides[2] + ix * inStrides[3]]
                switch reduce {
                case 1: v = min(v, t)
                case 2: v = max(v, t)
                default: v += t
                }
                taps += 1
              }
            }
            if reduce == 0 { v /= Float(taps) }
            y.append(min(max(v, low), high))
          }
        }
      }
    }
    try scatterFloats(y, output, try Self.offsets([s[0], s[1], oh, ow], try register(ro)))
  }

  /// REDUCE (float32; nncase 1.9's reference kernel): every output starts at the initial
  /// value, the inputs are folded in row-major order, a mean divides by the reduced count.
  mutating func reduce(_ p: [UInt8]) throws {
    let initial = try popFloat("the initial value")
    let output = try popAddress("the output"), input = try popAddress("the input")
    let (type, op, keep) = (p[0], p[4], p[6] != 0)
    let s = try register(p[1]), axes = Set(try register(p[5]))
    guard type == 9, op <= 3, axes.allSatisfy({ $0 >= 0 && $0 < s.count }) else {
      throw KModelError.malformed(
        "REDUCE of type \(type), reduction \(op) or axes \(axes.sorted()) for rank \(s.count)")
    }
    let outShape =
      keep ? s.indices.map { axes.contains($0) ? 1 : s[$0] } : s.indices.filter { !axes.contains($0) }.map { s[$0] }
    let inOffsets = try Self.offsets(s, try register(p[2]))
    let x = try floats(input, (inOffsets.max() ?? -1) + 1)
    var y = [Float](repeating: initial, count: outShape.reduce(1, *))
    // the dense output index of each input index: reduced axes contribute nothing
    var outStride = [Int](repeating: 0, count: s.count)
    var step = 1
    for d in s.indices.reversed() where !axes.contains(d) {
      outStride[d] = step
      step *= s[d]
    }
    var index = [Int](repeating: 0, count: s.count)
    for i in inOffsets {
      let o = zip(index, outStride).reduce(0) { $0 + $1.0 * $1.1 }
      switch op {
      case 1: y[o] = min(y[o], x[i])
      case 2: y[o] = max(y[o], x[i])
      default: y[o] += x[i]
      }
      var d = s.count - 1
      while d >= 0 {
        index[d] += 1
        if index[d] < s[d] { break }
        index[d] = 0
        d -= 1
      }
    }
    if op == 0 {
      let block = Float(axes.reduce(1) { $0 * s[$1] })
      y = y.map { $0 / block }
    }
    try scatterFloats(y, output, try Self.offsets(outShape, try register(p[3])))
  }

  /// MATMUL (float32; nncase 1.9's reference kernel) of [m, k] × [k, n] + bias[n]: each output
  /// starts at its bias and adds a·b in k order, then is clamped to the fused range.
  mutating func matmul(_ p: [UInt8]) throws {
    var r = ByteReader(p, offset: 6)
    let (low, high) = (try r.f32("the clamp low"), try r.f32("the clamp high"))
    let output = try popAddress("the output"), bias = try popAddress("the bias")
    let b = try popAddress("the weights"), a = try popAddress("the input")
    let (sa, sb, so) = (try register(p[0]), try register(p[2]), try register(p[4]))
    guard sa.count == 2, sb.count == 2, so == [sa[0], sb[1]], sa[1] == sb[0],
      try register(p[1]) == StackVMWriter.strides(sa),
      try register(p[3]) == StackVMWriter.strides(sb), try register(p[5]) == StackVMWriter.strides(so)
    else { throw KModelError.malformed("MATMUL other than dense [m, k] × [k, n] → [m, n]") }
    let (m, k, n) = (sa[0], sa[1], sb[1])
    let (x, w, c) = (try floats(a, m * k), try floats(b, k * n), try floats(bias, n))
    var y = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var v = c[j]
        for t in 0..<k { v += x[i * k + t] * w[t * n + j] }
        y[i * n + j] = min(max(v, low), high)
      }
    }
    try writeFloats(y, at: output)
  }
}
