/// Failures of the PNG renderer (the SVG renderer cannot fail).
public enum ChartError: Error, Equatable, CustomStringConvertible {
  /// Cairo reported an error status while drawing or encoding.
  case cairo(operation: String, status: String)
  /// An image embedded in the scene is not a decodable PNG.
  case badEmbeddedImage(index: Int, reason: String)

  /// One sentence saying what failed and what to check.
  public var description: String {
    switch self {
    case .cairo(let operation, let status):
      return
        "Cairo failed to \(operation): \(status). Check that libcairo2 is installed with PNG support and that there is enough memory."
    case .badEmbeddedImage(let index, let reason):
      return "Scene image \(index) is not a readable PNG (\(reason)); re-create the image file it came from."
    }
  }
}
