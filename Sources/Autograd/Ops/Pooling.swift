/// Pooling and resampling over NCHW, each with its gradient.
extension Variable {
  /// Max pooling; the gradient flows to the element that won each window. When no gradient
  /// will be recorded (``GradMode`` off, or the input needs none), only the values are computed:
  /// the argmax the backward pass needs is never written.
  public func maxPool2d(_ p: Pool2DParameters) -> Variable {
    guard Variable.recordsGradient(parents: [self]) else { return Variable(Pooling.maxValues(value, p)) }
    let (y, arg) = Pooling.maxForward(value, p)
    let inShape = shape
    return Variable.record("maxPool2d", y, parents: [self]) { g in
      [Pooling.maxBackward(g, argmax: arg, inputShape: inShape)]
    }
  }

  /// Average pooling (PyTorch's divisor conventions, see ``Pool2DParameters``).
  public func avgPool2d(_ p: Pool2DParameters) -> Variable {
    let inShape = shape
    return Variable.record("avgPool2d", Pooling.avgForward(value, p), parents: [self]) { g in
      [Pooling.avgBackward(g, inputShape: inShape, p)]
    }
  }

  /// Global average pooling: [N, C, H, W] → [N, C, 1, 1].
  public func globalAvgPool() -> Variable {
    precondition(value.rank == 4, "globalAvgPool: input must be NCHW, got \(shape)")
    return mean(axes: [2, 3], keepDims: true)
  }

  /// Nearest-neighbour upsampling by an integer factor (×2 in YOLO necks).
  public func upsampleNearest(factor: Int = 2) -> Variable {
    Variable.record("upsample", Pooling.upsampleNearest(value, factor: factor), parents: [self]) { g in
      [Pooling.upsampleNearestBackward(g, factor: factor)]
    }
  }
}
