import Autograd

/// The fake-quantization ops of quantization-aware training (Jacob et al. 2018, §3): the forward
/// pass rounds to the b-bit grid, the backward pass uses the straight-through estimator (STE):
/// rounding is treated as the identity, so the gradient flows through unchanged — except, for
/// activations, where the value was clamped to the format's range, where it is zero (the
/// derivative of the clamp). This is PyTorch's `fake_quantize_per_tensor_affine` rule: the mask
/// is 0 ≤ round(x/s) + z ≤ 2^b − 1, i.e. x within half a step of [s·(0 − z), s·(2^b − 1 − z)].
///
/// Weights and biases are clamped to a range that contains all of them (max|W| per channel), so
/// their STE is the identity everywhere; the scales are constants of the step (the gradient
/// does not flow into max|W|), as in the paper.
extension Variable {
  /// The activation fake-quantized in `format`; gradient g where the code was not clamped,
  /// 0 where it was.
  public func fakeQuantized(_ format: ActivationFormat) -> Variable {
    let x = value
    let y = x.map(format.fakeQuantize)
    let top = Double(format.maxCode)
    return Variable.record("fakeQuantize", y, parents: [self]) { g in
      var dx = g
      dx.scalars.withUnsafeMutableBufferPointer { d in
        x.scalars.withUnsafeBufferPointer { xs in
          for i in 0..<d.count {
            let q = format.unclampedCode(xs[i])
            if !(q >= 0 && q <= top) { d[i] = 0 }
          }
        }
      }
      return [dx]
    }
  }

  /// The weight (shape [O, …]) fake-quantized symmetrically at `bits` bits, one scale per output
  /// channel (or per tensor); returns the result and the scales. Gradient: the identity.
  public func fakeQuantizedWeight(bits: Int, perChannel: Bool = true) -> (weight: Variable, scales: [Double]) {
    let w = value
    let channels = w.shape[0], per = w.count / Swift.max(channels, 1)
    let scales = WeightFormat.scales(w.scalars, channels: channels, bits: bits, perChannel: perChannel)
    let qmax = Double(WeightFormat.maxCode(bits: bits))
    var y = w
    y.scalars.withUnsafeMutableBufferPointer { d in
      for i in 0..<d.count { d[i] = WeightFormat.fakeQuantize(d[i], scale: scales[i / per], maxCode: qmax) }
    }
    return (Variable.record("fakeQuantizeWeight", y, parents: [self]) { g in [g] }, scales)
  }

  /// The bias (shape [O]) rounded to the grid of `scales` (s_in·s_w[o] per channel, the
  /// accumulator's unit), not clamped: the int8 scheme's int32 limit 2³¹·s_in·s_w lies far beyond
  /// any trained bias, and a wider simulation stands for a wider accumulator. Gradient: the
  /// identity.
  public func fakeQuantizedBias(scales: [Double]) -> Variable {
    var y = value
    for o in 0..<y.count {
      y.scalars[o] = WeightFormat.fakeQuantize(y.scalars[o], scale: scales[o], maxCode: .infinity)
    }
    return Variable.record("fakeQuantizeBias", y, parents: [self]) { g in [g] }
  }
}
