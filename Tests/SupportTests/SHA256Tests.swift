import XCTest

@testable import Support

final class SHA256Tests: XCTestCase {
  /// FIPS 180-4 / NIST CSRC example vectors.
  func testKnownAnswers() {
    XCTAssertEqual(SHA256.hex(of: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(SHA256.hex(of: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      SHA256.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var long = SHA256()
    for _ in 0..<1000 { long.update(String(repeating: "a", count: 1000)) }
    XCTAssertEqual(long.hexDigest, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Feeding the same bytes in pieces of any size (across block boundaries, empty pieces,
  /// non-contiguous collections) gives the one-shot digest, and reading the digest does not
  /// disturb further updates.
  func testIncrementalFeedingMatchesOneShot() {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let expected = SHA256.hex(of: bytes)
    for pieceSize in [1, 3, 63, 64, 65, 200, 999] {
      var h = SHA256()
      var i = 0
      while i < bytes.count {
        h.update(bytes[i..<min(i + pieceSize, bytes.count)])
        h.update([UInt8]())
        _ = h.hexDigest
        i += pieceSize
      }
      XCTAssertEqual(h.hexDigest, expected, "pieces of \(pieceSize)")
    }
    var lazy = SHA256()
    lazy.update(bytes.lazy.map { $0 })  // not contiguous: goes through a copy
    XCTAssertEqual(lazy.hexDigest, expected)
  }

  /// A copy of a hasher carries on independently (value semantics), as callers that hash a
  /// common prefix once and branch from it rely on; the state is swift-crypto's, copied on write.
  func testCopiesAreIndependent() {
    var common = SHA256()
    common.update("ab")
    var branch = common
    branch.update("c")
    common.update("x")
    XCTAssertEqual(branch.hexDigest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(common.hexDigest, SHA256.hex(of: "abx"))
    XCTAssertNotEqual(common.hexDigest, branch.hexDigest)
  }
}
