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
