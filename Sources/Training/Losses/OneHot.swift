import Autograd

/// Dense one-hot targets for integer labels, `[labels.count, classCount]`.
func oneHot(_ labels: [Int], classCount: Int) -> Tensor<Float> {
  var t = Tensor<Float>(zeros: [labels.count, classCount])
  for (i, y) in labels.enumerated() {
    precondition(y >= 0 && y < classCount, "oneHot: label \(y) of sample \(i) is outside 0..<\(classCount)")
    t.scalars[i * classCount + y] = 1
  }
  return t
}
