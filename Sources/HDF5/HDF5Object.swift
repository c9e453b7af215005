import CHDF5

/// An open HDF5 group or dataset: a library handle plus the names used in error messages.
///
/// The handle is closed when the object is released, or earlier when its file is closed
/// (files are opened with the "strong" close degree so that closing really closes).
public class HDF5Object {
  /// The library handle; valid while the object and its file are open.
  let id: hid_t
  /// The open file this object lives in; kept alive while the object is.
  let file: HDF5FileHandle
  /// The file's path on disk, for error messages.
  public var filePath: String { file.path }
  /// The object's absolute path inside the file, e.g. `/train/images`.
  public let path: String

  init(id: hid_t, file: HDF5FileHandle, path: String) {
    self.id = id
    self.file = file
    self.path = path
  }

  deinit {
    HDF5Library.sync {
      if H5Iis_valid(id) > 0 { H5Oclose(id) }
    }
  }

  /// The absolute path of a child called `name` (which may itself contain `/`).
  func childPath(_ name: String) -> String {
    if name.hasPrefix("/") { return name }
    return path == "/" ? "/" + name : path + "/" + name
  }

  /// Throws a ``HDF5Error/operationFailed(operation:file:path:reason:)`` for this object.
  func fail(_ operation: String, at objectPath: String? = nil) -> HDF5Error {
    .operationFailed(
      operation: operation, file: filePath, path: objectPath ?? path,
      reason: HDF5Library.lastError())
  }
}

/// Owns an open file identifier; closes it when the last object of the file is released, or at
/// an explicit ``HDF5File/close()``.
final class HDF5FileHandle {
  var id: hid_t
  let path: String

  init(id: hid_t, path: String) {
    self.id = id
    self.path = path
  }

  deinit { try? close() }

  func close() throws {
    try HDF5Library.sync {
      guard id >= 0 else { return }
      let status = H5Fclose(id)
      id = -1
      try HDF5Library.check(status, "close", file: path, path: "/")
    }
  }
}
