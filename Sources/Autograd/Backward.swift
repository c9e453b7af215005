extension Variable {
  /// Runs reverse-mode differentiation from this variable.
  ///
  /// Sorts the graph topologically once (iteratively, so deep graphs do not overflow the stack),
  /// then walks it in reverse, calling each op's backward rule and accumulating gradients that
  /// fan in. Broadcast gradients are summed back to each parent's shape here, centrally.
  /// Gradients of intermediate results are released as soon as they have been propagated;
  /// leaves that require gradients keep theirs in ``grad``.
  ///
  /// - Parameter seed: the gradient of the final objective with respect to this value; defaults
  ///   to ones (so a scalar loss gets d loss / d loss = 1).
  public func backward(seed: Tensor<Float>? = nil) {
    let start = seed ?? Tensor(repeating: 1, shape: shape)
    precondition(start.shape == shape, "backward: seed shape \(start.shape) differs from value shape \(shape)")
    guard requiresGrad else { return }
    let order = topologicalOrder()
    accumulate(start)
    for node in order.reversed() {
      guard let rule = node.backwardRule, let g = node.grad else { continue }
      let parentGrads = rule(g)
      precondition(
        parentGrads.count == node.parents.count,
        "backward: op \(node.op) returned \(parentGrads.count) gradients for \(node.parents.count) inputs")
      for (parent, pg) in zip(node.parents, parentGrads) where parent.requiresGrad {
        guard let pg else { continue }
        parent.accumulate(pg.shape == parent.shape ? pg : pg.sum(toShape: parent.shape))
      }
      node.grad = nil  // intermediate: no longer needed
    }
  }

  /// Nodes reachable from `self` that require gradients, parents before children.
  func topologicalOrder() -> [Variable] {
    var order: [Variable] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Variable, Bool)] = [(self, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded { order.append(node); continue }
      if !visited.insert(ObjectIdentifier(node)).inserted { continue }
      stack.append((node, true))
      for p in node.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
        stack.append((p, false))
      }
    }
    return order
  }
}
