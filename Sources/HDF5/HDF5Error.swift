/// A failure of an HDF5 operation, naming the file and the object path involved.
///
/// Every message is one sentence a user can act on, e.g.
/// `HDF5 file '/data/x.h5' could not be opened: file signature not found (is it a complete HDF5 file?).`
public enum HDF5Error: Error, CustomStringConvertible, Equatable {
  /// The file could not be created (missing directory, no permission, already exists).
  case cannotCreate(file: String, reason: String)
  /// The file could not be opened (missing, truncated, or not HDF5).
  case cannotOpen(file: String, reason: String)
  /// No object (group, dataset or attribute) exists at `path`.
  case notFound(file: String, path: String)
  /// An object exists but is not of the expected kind (group vs dataset).
  case wrongKind(file: String, path: String, expected: String)
  /// A library call failed; `operation` says what Workbench was doing.
  case operationFailed(operation: String, file: String, path: String, reason: String)
  /// The values passed do not match the dataset or selection size.
  case sizeMismatch(file: String, path: String, expected: Int, got: Int)
  /// A hyperslab (offset, count) does not fit inside the dataset's shape.
  case selectionOutOfBounds(file: String, path: String, offset: [Int], count: [Int], shape: [Int])
  /// The stored element type cannot be read as the requested one.
  case typeMismatch(file: String, path: String, stored: String, requested: String)

  public var description: String {
    switch self {
    case let .cannotCreate(file, reason):
      return "HDF5 file '\(file)' could not be created: \(reason)."
    case let .cannotOpen(file, reason) where reason == "no such file":
      return "HDF5 file '\(file)' does not exist."
    case let .cannotOpen(file, reason):
      return "HDF5 file '\(file)' could not be opened: \(reason) (is it a complete HDF5 file?)."
    case let .notFound(file, path):
      return "HDF5 file '\(file)' has no object at '\(path)'."
    case let .wrongKind(file, path, expected):
      return "HDF5 object '\(path)' in '\(file)' is not a \(expected)."
    case let .operationFailed(operation, file, path, reason):
      let why = reason.isEmpty ? "" : ": \(reason)"
      return "HDF5 could not \(operation) '\(path)' in '\(file)'\(why)."
    case let .sizeMismatch(file, path, expected, got):
      return "HDF5 dataset '\(path)' in '\(file)' needs \(expected) values, got \(got)."
    case let .selectionOutOfBounds(file, path, offset, count, shape):
      return "HDF5 selection at offset \(offset) of size \(count) is outside dataset '\(path)' "
        + "of shape \(shape) in '\(file)'."
    case let .typeMismatch(file, path, stored, requested):
      return "HDF5 dataset '\(path)' in '\(file)' holds \(stored), which cannot be read as \(requested)."
    }
  }
}
