/// Why a YOLO head could not be decoded.
public enum YOLODecodingError: Error, Equatable, CustomStringConvertible {
  /// The buffer length does not match N·A·(5+C)·H·W.
  case sizeMismatch(expected: Int, actual: Int, shape: [Int])
  /// A shape parameter is not positive.
  case invalidShape(String)

  /// A sentence naming the mismatch.
  public var description: String {
    switch self {
    case .sizeMismatch(let expected, let actual, let shape):
      return
        "YOLO head buffer has \(actual) values but shape \(shape) (N, A·(5+C), H, W) needs \(expected)."
    case .invalidShape(let text):
      return "YOLO head shape is invalid: \(text); all sizes must be positive."
    }
  }
}
