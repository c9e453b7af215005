/// A dense, row-major n-dimensional array with value semantics.
///
/// Storage is a Swift `Array`, so copies are cheap and copy-on-write: mutating a copy never
/// changes the original. The shape is fixed at creation; ``reshaped(_:)`` returns a new view of
/// the same scalars. Float tensors carry the arithmetic used for training (see the
/// `Tensor+*.swift` files); integer tensors carry data movement and conversions.
public struct Tensor<Scalar: TensorScalar>: Equatable, Sendable, Codable {
  /// The extent of each axis, outermost first (NCHW for images).
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.product`.
  public var scalars: [Scalar]

  /// Creates a tensor from its shape and row-major scalars.
  public init(shape: [Int], scalars: [Scalar]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
    precondition(
      shape.product == scalars.count,
      "Tensor: shape \(shape) needs \(shape.product) scalars, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// Creates a tensor of the given shape filled with `value`.
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.product))
  }

  /// Creates a tensor of zeros.
  public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

  /// Creates a rank-0 tensor holding one scalar.
  public init(scalar: Scalar) { self.init(shape: [], scalars: [scalar]) }

  /// Creates a tensor of `count` scalars by calling `body` with each flat index.
  public init(shape: [Int], generating body: (Int) -> Scalar) {
    let n = shape.product
    self.shape = shape
    self.scalars = (0..<n).map(body)
  }

  /// Number of axes.
  public var rank: Int { shape.count }
  /// Number of elements.
  public var count: Int { scalars.count }
  /// Row-major strides, in elements.
  public var strides: [Int] { shape.rowMajorStrides }

  /// The single element of a one-element tensor.
  public var scalar: Scalar {
    precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
    return scalars[0]
  }

  /// Element access by a full multi-index.
  public subscript(_ index: Int...) -> Scalar {
    get { scalars[flatIndex(index)] }
    set { scalars[flatIndex(index)] = newValue }
  }

  @usableFromInline
  func flatIndex(_ index: [Int]) -> Int {
    precondition(index.count == rank, "Tensor subscript: \(index.count) indices for shape \(shape)")
    var flat = 0
    for (axis, i) in index.enumerated() {
      precondition(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) out of shape \(shape)")
      flat = flat * shape[axis] + i
    }
    return flat
  }

  /// The same scalars with a new shape; one extent may be `-1` and is inferred.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let hole = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != hole }.map(\.element).product
      precondition(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
      resolved[hole] = count / known
    }
    precondition(resolved.product == count, "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
    return Tensor(shape: resolved, scalars: scalars)
  }

  /// Converts every element with `transform`, keeping the shape.
  public func map<T: TensorScalar>(_ transform: (Scalar) throws -> T) rethrows -> Tensor<T> {
    Tensor<T>(shape: shape, scalars: try scalars.map(transform))
  }
}

extension Array where Element == Int {
  /// The product of the elements (1 for an empty array), e.g. the element count of a shape.
  public var product: Int { reduce(1, *) }
  /// Row-major strides of a shape.
  public var rowMajorStrides: [Int] {
    var strides = [Int](repeating: 1, count: count)
    var acc = 1
    for axis in stride(from: count - 1, through: 0, by: -1) {
      strides[axis] = acc
      acc *= self[axis]
    }
    return strides
  }
}
