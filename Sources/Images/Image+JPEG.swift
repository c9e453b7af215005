import CJPEG
import Foundation

extension Image {
  /// Decodes JPEG bytes (baseline or progressive) to gray (1 channel) or RGB (3 channels), with
  /// libjpeg's default accurate integer IDCT and fancy upsampling (what PIL uses).
  /// - Throws: ``ImageError/corrupt(file:format:reason:)`` for corrupt or truncated data.
  public init(jpegData data: Data, source: String = "<memory>") throws {
    var pixels: UnsafeMutablePointer<UInt8>?
    var width: UInt32 = 0, height: UInt32 = 0, channels: UInt32 = 0
    var message = [CChar](repeating: 0, count: 256)
    let ok = data.withUnsafeBytes { bytes in
      wb_jpeg_decode(
        bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, &pixels, &width, &height,
        &channels, &message, message.count)
    }
    guard ok == 1, let pixels else {
      throw ImageError.corrupt(file: source, format: "JPEG", reason: Image.cString(message))
    }
    defer { wb_jpeg_free(pixels) }
    let count = Int(width) * Int(height) * Int(channels)
    self.init(
      width: Int(width), height: Int(height), channels: Int(channels),
      pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
  }

  /// Reads a JPEG file.
  public init(jpegFile path: String) throws {
    try self.init(jpegData: Image.readBytes(path), source: path)
  }

  /// Reads a PNG or JPEG file, recognised by its signature rather than its extension.
  /// - Throws: ``ImageError/unsupportedFormat(file:)`` for anything else.
  public init(contentsOfFile path: String) throws {
    let data = try Image.readBytes(path)
    let head = [UInt8](data.prefix(4))
    if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
      try self.init(pngData: data, source: path)
    } else if head.starts(with: [0xFF, 0xD8]) {
      try self.init(jpegData: data, source: path)
    } else if data.isEmpty {
      throw ImageError.corrupt(file: path, format: "Image", reason: "the file is empty")
    } else {
      throw ImageError.unsupportedFormat(file: path)
    }
  }
}
