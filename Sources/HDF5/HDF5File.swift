import CHDF5
import Foundation

/// An HDF5 file on disk, with its root group.
///
/// ```swift
/// let file = try HDF5File.create(at: "data.h5")
/// try file.root.write([1, 2, 3] as [Float], shape: [3], to: "weights")
/// try file.close()
/// ```
/// Files written here read back in h5py and `h5dump`. Object modification times are not stored,
/// so writing the same content in the same order gives byte-identical files.
public final class HDF5File {
  /// How to open an existing file.
  public enum Mode: Sendable { case readOnly, readWrite }

  /// The path the file was opened or created with.
  public let path: String
  private let handle: HDF5FileHandle
  /// The root group `/`.
  public let root: HDF5Group

  private init(id: hid_t, path: String) throws {
    self.handle = HDF5FileHandle(id: id, path: path)
    self.path = path
    let rootID = H5Gopen2(id, "/", wb_h5p_default())
    if rootID < 0 {
      try? handle.close()
      throw HDF5Error.cannotOpen(file: path, reason: HDF5Library.lastError())
    }
    root = HDF5Group(id: rootID, file: handle, path: "/")
  }

  /// Creates a new file at `path`, replacing an existing one only if `overwrite` is true.
  /// - Throws: ``HDF5Error/cannotCreate(file:reason:)``.
  public static func create(at path: String, overwrite: Bool = true) throws -> HDF5File {
    try HDF5Library.sync {
      let fapl = try accessProperties(path)
      defer { H5Pclose(fapl) }
      let fcpl = H5Pcreate(wb_h5p_file_create())
      defer { H5Pclose(fcpl) }
      let flags = overwrite ? wb_h5f_acc_trunc() : wb_h5f_acc_excl()
      let id = H5Fcreate(path, flags, fcpl, fapl)
      guard id >= 0 else {
        let reason = HDF5Library.lastError()
        throw HDF5Error.cannotCreate(file: path, reason: reason.isEmpty ? "unknown error" : reason)
      }
      return try HDF5File(id: id, path: path)
    }
  }

  /// Opens an existing file.
  /// - Throws: ``HDF5Error/cannotOpen(file:reason:)`` when the file is missing, truncated or
  ///   not HDF5.
  public static func open(_ path: String, mode: Mode = .readOnly) throws -> HDF5File {
    try HDF5Library.sync {
      guard FileManager.default.fileExists(atPath: path) else {
        throw HDF5Error.cannotOpen(file: path, reason: "no such file")
      }
      let fapl = try accessProperties(path)
      defer { H5Pclose(fapl) }
      let flags = mode == .readOnly ? wb_h5f_acc_rdonly() : wb_h5f_acc_rdwr()
      let id = H5Fopen(path, flags, fapl)
      guard id >= 0 else {
        let reason = HDF5Library.lastError()
        throw HDF5Error.cannotOpen(file: path, reason: reason.isEmpty ? "unknown error" : reason)
      }
      return try HDF5File(id: id, path: path)
    }
  }

  /// Whether `path` starts with the HDF5 signature (a cheap check before opening).
  public static func isHDF5(_ path: String) -> Bool {
    HDF5Library.sync { H5Fis_hdf5(path) > 0 }
  }

  /// Flushes and closes the file and every object opened from it (they become unusable).
  /// Idempotent. Without it, the file closes when it and all its objects are released.
  public func close() throws { try handle.close() }

  /// File access properties: strong close degree, so `close()` releases the file at once.
  private static func accessProperties(_ path: String) throws -> hid_t {
    let fapl = H5Pcreate(wb_h5p_file_access())
    guard fapl >= 0, H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0 else {
      throw HDF5Error.cannotOpen(file: path, reason: HDF5Library.lastError())
    }
    return fapl
  }
}
