import Tensors

extension Parameter {
  /// The parameter without the positions `removed` along `axis` (values sliced too, when it has
  /// float values).
  /// - Throws: ``PruningError/nonFloatParameter(_:)`` for integer values.
  func removing(_ removed: Set<Int>, axis: Int, name: String) throws -> Parameter {
    guard !removed.isEmpty, axis < shape.count else { return self }
    let kept = (0..<shape[axis]).filter { !removed.contains($0) }
    var newShape = shape
    newShape[axis] = kept.count
    guard let data else { return Parameter(shape: newShape, kind: kind, elementType: elementType) }
    guard case let .float32(tensor) = data else { throw PruningError.nonFloatParameter(name) }
    return Parameter(shape: newShape, kind: kind, value: tensor.gathering(kept, axis: axis))
  }
}

extension Tensor where Scalar == Float {
  /// The slices `indices` of `axis`, in that order.
  func gathering(_ indices: [Int], axis: Int) -> Tensor {
    let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *), extent = shape[axis]
    var out: [Float] = []
    out.reserveCapacity(outer * indices.count * inner)
    scalars.withUnsafeBufferPointer { src in
      for o in 0..<outer {
        for i in indices {
          let start = (o * extent + i) * inner
          out.append(contentsOf: src[start..<(start + inner)])
        }
      }
    }
    var newShape = shape
    newShape[axis] = indices.count
    return Tensor(shape: newShape, scalars: out)
  }
}
