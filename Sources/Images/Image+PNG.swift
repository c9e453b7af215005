import CPNG
import Foundation
import Support

extension Image {
  /// Decodes PNG bytes of any colour type and bit depth (gray, gray+alpha, RGB, RGBA, palette;
  /// 1–16 bits) to 8 bits per sample. Palettes become RGB (RGBA with transparency); 16-bit
  /// samples keep their high byte, as most decoders do.
  /// - Parameter source: the file name used in error messages.
  /// - Throws: ``ImageError/corrupt(file:format:reason:)`` for corrupt or truncated data.
  public init(pngData data: Data, source: String = "<memory>") throws {
    var pixels: UnsafeMutablePointer<UInt8>?
    var width: UInt32 = 0, height: UInt32 = 0, channels: UInt32 = 0
    var message = [CChar](repeating: 0, count: 256)
    let ok = data.withUnsafeBytes { bytes in
      wb_png_decode(
        bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, &pixels, &width, &height,
        &channels, &message, message.count)
    }
    guard ok == 1, let pixels else {
      throw ImageError.corrupt(file: source, format: "PNG", reason: Image.cString(message))
    }
    defer { wb_png_free(pixels) }
    let count = Int(width) * Int(height) * Int(channels)
    self.init(
      width: Int(width), height: Int(height), channels: Int(channels),
      pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
  }

  /// Reads a PNG file.
  public init(pngFile path: String) throws {
    try self.init(pngData: Image.readBytes(path), source: path)
  }

  /// The image encoded as PNG (8-bit, no timestamp: equal images give equal bytes).
  public func pngData() throws -> Data {
    var output: UnsafeMutablePointer<UInt8>?
    var size = 0
    var message = [CChar](repeating: 0, count: 256)
    let ok = pixels.withUnsafeBufferPointer { buffer in
      wb_png_encode(
        buffer.baseAddress, UInt32(width), UInt32(height), UInt32(channels), &output, &size,
        &message, message.count)
    }
    guard ok == 1, let output else {
      throw ImageError.cannotWrite(file: "<memory>", reason: Image.cString(message))
    }
    defer { wb_png_free(output) }
    return Data(bytes: output, count: size)
  }

  /// Writes the image as a PNG file, atomically.
  public func writePNG(to path: String) throws {
    let data: Data
    do {
      data = try pngData()
    } catch let ImageError.cannotWrite(_, reason) {
      throw ImageError.cannotWrite(file: path, reason: reason)
    }
    do {
      try AtomicFile.write(data, to: path)
    } catch {
      throw ImageError.cannotWrite(file: path, reason: FileSystemError.reason(for: error))
    }
  }

  /// The bytes of a file, or an ``ImageError/unreadable(file:reason:)``.
  static func readBytes(_ path: String) throws -> Data {
    guard FileManager.default.fileExists(atPath: path) else {
      throw ImageError.unreadable(file: path, reason: "no such file")
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ImageError.unreadable(file: path, reason: FileSystemError.reason(for: error))
    }
  }

  /// A Swift string from a NUL-terminated C buffer.
  static func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
