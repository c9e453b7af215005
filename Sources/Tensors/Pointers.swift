/// Base-address access without force-unwrapping: for an empty array the body is not called,
/// which is what every kernel wants (there is nothing to compute).
extension Array {
  @inline(__always)
  func withBase(_ body: (UnsafePointer<Element>) -> Void) {
    withUnsafeBufferPointer { if let b = $0.baseAddress { body(b) } }
  }

  @inline(__always)
  mutating func withMutableBase(_ body: (UnsafeMutablePointer<Element>) -> Void) {
    withUnsafeMutableBufferPointer { if let b = $0.baseAddress { body(b) } }
  }
}

extension Array where Element: TensorScalar {
  /// An array of `count` elements whose contents are not initialised, for kernels that write
  /// every element anyway: it saves the zero-filling pass over buffers of many MiB. The
  /// element types are plain numbers, so no element needs a destructor.
  @inlinable
  public static func uninitialized(count: Int) -> [Element] {
    [Element](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }
}
