import Foundation

/// A NumPy `.npy` array of 32-bit floats: the format users export inputs in from Python
/// (`numpy.save`), read and written so `workbench infer` and the cross-checks against other
/// tools can exchange tensors without HDF5.
///
/// Format (NumPy's `format.py`, versions 1.0–3.0): the magic `\x93NUMPY`, a version byte pair,
/// a little-endian header length (2 bytes in 1.0, 4 in 2.0/3.0), a Python-literal header dict
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded to 16-byte alignment,
/// then the data in C order. Reading accepts `<f4` and `<f8` (converted to Float); writing uses
/// version 1.0 and `<f4`.
public struct NPYArray: Equatable, Sendable {
  /// The shape (C order).
  public var shape: [Int]
  /// The values in C order.
  public var scalars: [Float]

  /// Creates an array; `scalars.count` must equal the product of `shape`.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.reduce(1, *) == scalars.count, "NPYArray: \(scalars.count) values do not fill shape \(shape)")
    self.shape = shape
    self.scalars = scalars
  }

  /// Reads the file at `path`.
  /// - Throws: ``FileSystemError`` when it cannot be read, ``NPYError`` when it is not a
  ///   supported `.npy` array.
  public init(contentsOf path: String) throws {
    try self.init(bytes: try FileSystem.read(path, "the .npy file"), file: path)
  }

  /// Parses `.npy` bytes; `file` names the source in errors.
  public init(bytes data: Data, file: String) throws {
    let b = [UInt8](data)
    func fail(_ reason: String) -> NPYError { NPYError(file: file, reason: reason) }
    guard b.count >= 10, b[0] == 0x93, Array(b[1..<6]) == Array("NUMPY".utf8) else {
      throw fail("it does not start with the .npy magic (\\x93NUMPY)")
    }
    let major = b[6]
    let (headerLength, start): (Int, Int)
    switch major {
    case 1: (headerLength, start) = (Int(b[8]) | Int(b[9]) << 8, 10)
    case 2, 3:
      guard b.count >= 12 else { throw fail("it is truncated in its header") }
      headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
      start = 12
    default: throw fail("format version \(major) is not supported (1, 2 and 3 are)")
    }
    guard b.count >= start + headerLength else { throw fail("it is truncated in its header") }
    let header = String(decoding: b[start..<(start + headerLength)], as: UTF8.self)
    guard let descr = Self.value(of: "descr", in: header) else { throw fail("its header has no 'descr'") }
    let width: Int
    switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) {
    case "<f4": width = 4
    case "<f8": width = 8
    case "|u1": width = 1
    case let other:
      throw fail("dtype \(other) is not supported (float32 '<f4', float64 '<f8' or uint8 '|u1' are)")
    }
    guard Self.value(of: "fortran_order", in: header) == "False" else {
      throw fail("it is in Fortran order; save a C-ordered array (numpy.ascontiguousarray)")
    }
    guard let shapeText = Self.value(of: "shape", in: header) else { throw fail("its header has no 'shape'") }
    let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let shape = dims.compactMap { Int($0) }
    guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else {
      throw fail("its shape \(shapeText) is not a tuple of sizes")
    }
    let count = shape.reduce(1, *)
    let body = start + headerLength
    guard b.count - body == count * width else {
      throw fail(
        "it holds \(b.count - body) data bytes, but shape \(shape) of \(width)-byte values needs \(count * width)")
    }
    var values = [Float](repeating: 0, count: count)
    b.withUnsafeBytes { raw in
      for i in 0..<count {
        if width == 1 {
          values[i] = Float(raw[body + i])
        } else if width == 4 {
          values[i] = Float(
            bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: body + 4 * i, as: UInt32.self)))
        } else {
          values[i] = Float(
            Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: body + 8 * i, as: UInt64.self))))
        }
      }
    }
    self.init(shape: shape, scalars: values)
  }

  /// The `.npy` bytes (version 1.0, little-endian float32, C order).
  public var bytes: Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (16 - unpadded % 16) % 16) + "\n"
    var out = Data(
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)])
    out.append(contentsOf: Array(header.utf8))
    for v in scalars { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
    return out
  }

  /// The text after `'key':` up to the next top-level comma (a tuple counts as one value).
  static func value(of key: String, in header: String) -> String? {
    guard let range = header.range(of: "'\(key)':") ?? header.range(of: "\"\(key)\":") else { return nil }
    var depth = 0
    var out = ""
    for c in header[range.upperBound...] {
      if c == "(" { depth += 1 }
      if c == ")" { depth -= 1 }
      if depth == 0 && (c == "," || c == "}") { break }
      out.append(c)
    }
    return out.trimmingCharacters(in: .whitespaces)
  }
}

/// A file that is not a supported `.npy` array.
public struct NPYError: Error, Equatable, CustomStringConvertible {
  /// The file.
  public var file: String
  /// What is wrong, as a sentence fragment.
  public var reason: String
  public var description: String { "\(file) is not a usable .npy array: \(reason)" }
}
