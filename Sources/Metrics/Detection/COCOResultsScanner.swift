/// A fast, allocation-light reader for the common shape of COCO results JSON.
///
/// `JSONDecoder` needs about 6 s for 500,000 results (72 MB); this scanner reads the same array
/// of `{"image_id", "category_id", "bbox", "score", …}` objects directly from the bytes. It
/// accepts any key order, skips unknown keys (any JSON value), and reads numbers with Swift's
/// correctly rounded `Double(_:)`, so values are bit-identical to Python's `float`. Anything
/// else — escapes in keys, a missing key, a fractional id, malformed JSON — makes it return
/// `nil`, and the caller falls back to `JSONDecoder` for an exact error message.
struct COCOResultsScanner {
  private let bytes: [UInt8]
  private var i = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The results, or `nil` when the input needs the general decoder.
  mutating func scan() -> [COCOResult]? {
    var results: [COCOResult] = []
    skipSpace()
    guard take(UInt8(ascii: "[")) else { return nil }
    skipSpace()
    if take(UInt8(ascii: "]")) { return end() ? results : nil }
    while true {
      guard let r = object() else { return nil }
      results.append(r)
      skipSpace()
      if take(UInt8(ascii: ",")) {
        skipSpace()
        continue
      }
      guard take(UInt8(ascii: "]")) else { return nil }
      return end() ? results : nil
    }
  }

  private mutating func end() -> Bool {
    skipSpace()
    return i == bytes.count
  }

  private mutating func object() -> COCOResult? {
    guard take(UInt8(ascii: "{")) else { return nil }
    var imageId: Int?
    var categoryId: Int?
    var bbox: [Double]?
    var score: Double?
    skipSpace()
    if take(UInt8(ascii: "}")) { return nil }
    while true {
      skipSpace()
      guard let key = plainString() else { return nil }
      skipSpace()
      guard take(UInt8(ascii: ":")) else { return nil }
      skipSpace()
      switch key {
      case "image_id":
        imageId = integer()
        if imageId == nil { return nil }
      case "category_id":
        categoryId = integer()
        if categoryId == nil { return nil }
      case "bbox":
        bbox = numberArray()
        if bbox == nil { return nil }
      case "score":
        score = number()
        if score == nil { return nil }
      default: guard skipValue(depth: 0) else { return nil }
      }
      skipSpace()
      if take(UInt8(ascii: ",")) { continue }
      guard take(UInt8(ascii: "}")) else { return nil }
      break
    }
    guard let imageId, let categoryId, let bbox, let score else { return nil }
    return COCOResult(imageId: imageId, categoryId: categoryId, bbox: bbox, score: score)
  }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x0A, 0x0D, 0x09: i += 1
      default: return
      }
    }
  }

  private mutating func take(_ byte: UInt8) -> Bool {
    guard i < bytes.count, bytes[i] == byte else { return false }
    i += 1
    return true
  }

  /// A string without escapes.
  private mutating func plainString() -> String? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = i
    while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
      if bytes[i] == UInt8(ascii: "\\") { return nil }
      i += 1
    }
    guard i < bytes.count else { return nil }
    defer { i += 1 }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }

  private mutating func numberText() -> String? {
    let start = i
    while i < bytes.count {
      switch bytes[i] {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
        UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
        i += 1
      default:
        return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
      }
    }
    return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
  }

  private mutating func integer() -> Int? { numberText().flatMap { Int($0) } }

  /// A JSON number, or Python's `NaN`, `Infinity`, `-Infinity`.
  private mutating func number() -> Double? {
    guard i < bytes.count else { return nil }
    let first = bytes[i]
    if first == UInt8(ascii: "N") || first == UInt8(ascii: "I") || first == UInt8(ascii: "-") {
      for (literal, value) in Self.specialNumbers where matches(literal) {
        i += literal.count
        return value
      }
    }
    guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
      let text = numberText()
    else { return nil }
    return Double(text)
  }

  private static let specialNumbers: [([UInt8], Double)] = [
    (Array("NaN".utf8), .nan), (Array("Infinity".utf8), .infinity),
    (Array("-Infinity".utf8), -.infinity),
  ]
  private static let literals: [[UInt8]] = ["true", "false", "null"].map { Array($0.utf8) }

  private func matches(_ literal: [UInt8]) -> Bool {
    guard i + literal.count <= bytes.count else { return false }
    return bytes[i..<(i + literal.count)].elementsEqual(literal)
  }

  private mutating func numberArray() -> [Double]? {
    guard take(UInt8(ascii: "[")) else { return nil }
    var values: [Double] = []
    skipSpace()
    if take(UInt8(ascii: "]")) { return values }
    while true {
      skipSpace()
      guard let v = number() else { return nil }
      values.append(v)
      skipSpace()
      if take(UInt8(ascii: ",")) { continue }
      return take(UInt8(ascii: "]")) ? values : nil
    }
  }

  /// Skips any JSON value (strings may contain escapes here).
  private mutating func skipValue(depth: Int) -> Bool {
    guard depth < 64, i < bytes.count else { return false }
    switch bytes[i] {
    case UInt8(ascii: "\""):
      i += 1
      while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
        i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
      }
      guard i < bytes.count else { return false }
      i += 1
      return true
    case UInt8(ascii: "["), UInt8(ascii: "{"):
      let isObject = bytes[i] == UInt8(ascii: "{")
      let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
      i += 1
      skipSpace()
      if take(close) { return true }
      while true {
        skipSpace()
        if isObject {
          guard skipValue(depth: depth + 1) else { return false }  // the key
          skipSpace()
          guard take(UInt8(ascii: ":")) else { return false }
          skipSpace()
        }
        guard skipValue(depth: depth + 1) else { return false }
        skipSpace()
        if take(UInt8(ascii: ",")) { continue }
        return take(close)
      }
    default:
      for literal in Self.literals where matches(literal) {
        i += literal.count
        return true
      }
      return number() != nil
    }
  }
}
