import Foundation

/// Reads a PNG's size from its header, without decoding it.
public enum PNGHeader {
  /// The eight bytes every PNG file starts with.
  public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// Width and height from the IHDR chunk, or `nil` when `data` is not a PNG.
  public static func size(of data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, Array(bytes[0..<8]) == signature,
      String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR"
    else { return nil }
    func be32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
    let width = be32(16)
    let height = be32(20)
    return width > 0 && height > 0 ? (width, height) : nil
  }
}
