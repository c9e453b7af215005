internal import Crypto

/// SHA-256 (FIPS 180-4), incremental: feed bytes with ``update(_:)``, read ``hexDigest``.
///
/// It keys everything that must be traceable: dataset `content_hash` values, model-definition
/// hashes, stage cache keys and artifact hashes. The compression is swift-crypto's (BoringSSL's
/// assembly, with the SHA extensions where the CPU has them): on this project's machines it hashes
/// about 5× faster than the hand-written Swift version it replaced (`make bench`, HashBench).
/// This type keeps the project's small API (hex digests, strings, any byte collection) in one
/// place so callers never import Crypto.
///
/// `@unchecked Sendable`: swift-crypto's hasher is not marked Sendable, but it is a value type
/// whose state is copied on write (a shared state is only read, and `finalize()` reads a copy).
public struct SHA256: @unchecked Sendable {
  /// swift-crypto's hasher; copying `SHA256` copies the running state.
  private var hasher = Crypto.SHA256()

  /// A fresh hasher.
  public init() {}

  /// The digest of `bytes` as 64 lower-case hex digits.
  public static func hex<Bytes: Collection>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var h = SHA256()
    h.update(bytes)
    return h.hexDigest
  }

  /// The digest of the UTF-8 bytes of `string`.
  public static func hex(of string: String) -> String { hex(of: Array(string.utf8)) }

  /// Hashes `bytes` after everything fed so far.
  public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    if let done = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) { return done }
    let copy = Array(bytes)
    copy.withUnsafeBytes { update($0) }
  }

  /// Hashes the UTF-8 bytes of `string`.
  public mutating func update(_ string: String) { update(Array(string.utf8)) }

  /// Hashes raw bytes after everything fed so far.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: bytes)
  }

  /// The digest of everything fed so far, as 64 lower-case hex digits; further updates continue
  /// from the same state.
  public var hexDigest: String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in hasher.finalize() {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
