/// A failure reading or writing an image file, naming the file.
public enum ImageError: Error, CustomStringConvertible, Equatable {
  /// The file could not be read from disk.
  case unreadable(file: String, reason: String)
  /// The bytes are not a decodable image of the expected format (corrupt or truncated).
  case corrupt(file: String, format: String, reason: String)
  /// The file is neither PNG nor JPEG.
  case unsupportedFormat(file: String)
  /// The image could not be encoded or written.
  case cannotWrite(file: String, reason: String)

  public var description: String {
    switch self {
    case let .unreadable(file, reason):
      return "Image file '\(file)' could not be read: \(reason)."
    case let .corrupt(file, format, reason):
      return "\(format) file '\(file)' is corrupt or truncated: \(reason)."
    case let .unsupportedFormat(file):
      return "Image file '\(file)' is neither PNG nor JPEG (unrecognised signature)."
    case let .cannotWrite(file, reason):
      return "Image file '\(file)' could not be written: \(reason)."
    }
  }
}
