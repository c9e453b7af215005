import CHDF5
import Foundation

/// Conversions between Swift strings and HDF5 string types, shared by datasets and attributes.
enum HDF5Strings {
  /// A new variable-length UTF-8 string type (what h5py uses for `str`); close it after use.
  static func variableLengthType() -> hid_t {
    let type = H5Tcopy(wb_h5t_c_s1())
    H5Tset_size(type, wb_h5t_variable())
    H5Tset_cset(type, H5T_CSET_UTF8)
    return type
  }

  /// Calls `body` with an array of C string pointers for `strings`, valid only during the call.
  static func withCStrings<R>(
    _ strings: [String], _ body: (UnsafeRawPointer?) throws -> R
  ) rethrows -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeBufferPointer { buffer in
      try body(UnsafeRawPointer(buffer.baseAddress))
    }
  }

  /// Reads `count` strings of stored type `fileType` with `read(memoryType, buffer)`, handling
  /// variable-length and fixed-length strings. Returns `nil` when the read fails.
  static func read(
    count: Int, fileType: hid_t, space: hid_t, read: (hid_t, UnsafeMutableRawPointer?) -> herr_t
  ) -> [String]? {
    if count == 0 { return [] }
    if H5Tis_variable_str(fileType) > 0 {
      let memType = variableLengthType()
      defer { H5Tclose(memType) }
      var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
      let status = pointers.withUnsafeMutableBytes { read(memType, $0.baseAddress) }
      guard status >= 0 else { return nil }
      let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
      _ = pointers.withUnsafeMutableBytes { wb_h5_reclaim(memType, space, $0.baseAddress) }
      return strings
    }
    // One extra byte, so that a NUL-padded stored string of full length keeps every character.
    let size = H5Tget_size(fileType) + 1
    let memType = H5Tcopy(wb_h5t_c_s1())
    defer { H5Tclose(memType) }
    H5Tset_size(memType, size)
    var bytes = [UInt8](repeating: 0, count: count * size)
    let status = bytes.withUnsafeMutableBytes { read(memType, $0.baseAddress) }
    guard status >= 0 else { return nil }
    return (0..<count).map { index in
      let slice = bytes[(index * size)..<((index + 1) * size)]
      return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
    }
  }
}
