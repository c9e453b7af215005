/// 2-D convolution (NCHW input, OIHW weight, optional bias) with stride, asymmetric padding,
/// dilation and groups; depthwise is `groups == channels`. Backward: the input gradient is the
/// transposed convolution of the output gradient, the weight gradient its correlation with the
/// input, the bias gradient its sum over N, H, W.
extension Variable {
  public func conv2d(weight: Variable, bias: Variable? = nil, _ p: Conv2DParameters = Conv2DParameters()) -> Variable {
    let x = value, w = weight.value
    let y = Conv2D.forward(x, weight: w, bias: bias?.value, p)
    let parents = [self, weight] + (bias.map { [$0] } ?? [])
    let needInput = requiresGrad, needWeight = weight.requiresGrad
    return Variable.record("conv2d", y, parents: parents) { g in
      let dx: Tensor<Float>?, dw: Tensor<Float>?
      if p.groups == 1 {
        (dx, dw) = Conv2D.batchedBackward(g, input: x, weight: w, p, needInput: needInput, needWeight: needWeight)
      } else {
        dx = needInput ? Conv2D.inputGradient(g, weight: w, inputShape: x.shape, p) : nil
        dw = needWeight ? Conv2D.weightGradient(g, input: x, weightShape: w.shape, p) : nil
      }
      return [dx, dw] + (bias == nil ? [] : [Conv2D.biasGradient(g)])
    }
  }
}
