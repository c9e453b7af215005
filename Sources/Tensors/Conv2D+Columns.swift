/// Keeping a forward pass's im2col columns for the weight gradient of the same call.
///
/// On small maps (``Conv2D/usesSmallMapPath(_:)`` and the batched path) the forward unfolds the
/// whole batch into [C·kH·kW, oH·oW] columns per image, and the weight gradient needs exactly
/// those columns again: dW = dy·colsᵀ. Autograd keeps them between the two passes instead of
/// unfolding the input a second time (about 3% of tiny YOLO's training step); the product reads the same
/// values in the same order, so the gradient is bit-identical. The cost is memory: the columns
/// (kH·kW times the layer's input) live until the backward pass has run.
extension Conv2D {
  /// The im2col columns of one forward pass, laid out as the layer's path builds and reads them
  /// (the path follows from the geometry, so forward and backward agree): on the small-map path
  /// one [C·kH·kW, N·oH·oW] matrix, image i from column i·oH·oW; on the batched path one such
  /// block per chunk of ``Parallel/chunks(_:maxChunks:)`` images, one after the other.
  public struct Columns: Sendable {
    let values: [Float]
    let n: Int, k: Int, hw: Int

    /// The columns when they belong to a layer of geometry `G` (the same extents), else nil:
    /// columns from another layer are never read.
    func values(for G: Geometry) -> [Float]? { n == G.n && k == G.k && hw == G.hw ? values : nil }
  }

  /// Runs `body` with the weight gradient's columns: `saved` from element `offset` when the
  /// forward kept them, else `scratch` once `unfold` has filled it.
  static func withColumns(
    _ saved: [Float]?, offset: Int, scratch: UnsafeMutablePointer<Float>, unfold: () -> Void,
    _ body: (UnsafePointer<Float>) -> Void
  ) {
    guard let saved else {
      unfold()
      return body(UnsafePointer(scratch))
    }
    saved.withBase { body($0 + offset) }
  }

  /// ``forward(_:weight:bias:_:algorithm:epilogue:)`` without an epilogue, also returning the
  /// columns when the layer's path built them for the whole batch (small maps, `groups == 1`,
  /// no Winograd or direct kernel); pass them to ``backward(_:input:weight:_:needInput:needWeight:algorithm:columns:)``
  /// of the same input and weight.
  public static func forwardKeepingColumns(
    _ x: Tensor<Float>, weight: Tensor<Float>, bias: Tensor<Float>?, _ p: Conv2DParameters,
    algorithm: Conv2DAlgorithm = Conv2D.algorithm
  ) -> (output: Tensor<Float>, columns: Columns?) {
    let (y, values) = forward(
      x, weight: weight, bias: bias, p, algorithm: algorithm, epilogue: nil, keepingColumns: true)
    guard let values else { return (y, nil) }
    let G = geometry(x.shape, weight.shape, p, op: "conv2d")
    return (y, Columns(values: values, n: G.n, k: G.k, hw: G.hw))
  }
}
