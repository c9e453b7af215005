/// 2-D convolution (NCHW input, OIHW weight, optional bias) with stride, asymmetric padding,
/// dilation and groups; depthwise is `groups == channels`. Backward: the input gradient is the
/// transposed convolution of the output gradient, the weight gradient its correlation with the
/// input, the bias gradient its sum over N, H, W.
extension Variable {
  public func conv2d(weight: Variable, bias: Variable? = nil, _ p: Conv2DParameters = Conv2DParameters()) -> Variable {
    let x = value, w = weight.value
    let algorithm = Conv2D.algorithm  // the backward pass uses the forward's choice
    let parents = [self, weight] + (bias.map { [$0] } ?? [])
    let needInput = requiresGrad, needWeight = weight.requiresGrad
    // the weight gradient reads the forward's im2col columns where the forward built them
    let (y, columns) =
      needWeight && Variable.recordsGradient(parents: parents)
      ? Conv2D.forwardKeepingColumns(x, weight: w, bias: bias?.value, p, algorithm: algorithm)
      : (Conv2D.forward(x, weight: w, bias: bias?.value, p, algorithm: algorithm), nil)
    return Variable.record("conv2d", y, parents: parents) { g in
      let (dx, dw) = Conv2D.backward(
        g, input: x, weight: w, p, needInput: needInput, needWeight: needWeight, algorithm: algorithm,
        columns: columns)
      return [dx, dw] + (bias == nil ? [] : [Conv2D.biasGradient(g)])
    }
  }
}
