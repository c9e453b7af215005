import CHDF5

/// An HDF5 group: a folder of named groups and datasets, with attributes.
public final class HDF5Group: HDF5Object {
  /// What a child link points at.
  public enum ChildKind: Sendable, Equatable { case group, dataset, other }

  /// Creates a child group (intermediate groups in `name` are created too).
  /// - Throws: ``HDF5Error`` when the name is taken or the file is read-only.
  @discardableResult
  public func createGroup(_ name: String) throws -> HDF5Group {
    try HDF5Library.sync {
      let target = childPath(name)
      let lcpl = H5Pcreate(wb_h5p_link_create())
      defer { H5Pclose(lcpl) }
      H5Pset_create_intermediate_group(lcpl, 1)
      let gcpl = H5Pcreate(wb_h5p_group_create())
      defer { H5Pclose(gcpl) }
      H5Pset_obj_track_times(gcpl, false)
      let gid = H5Gcreate2(id, name, lcpl, gcpl, wb_h5p_default())
      guard gid >= 0 else { throw fail("create group", at: target) }
      return HDF5Group(id: gid, file: file, path: target)
    }
  }

  /// Opens the child group `name` (a relative path such as `train` or `a/b`).
  /// - Throws: ``HDF5Error/notFound(file:path:)`` or ``HDF5Error/wrongKind(file:path:expected:)``.
  public func group(_ name: String) throws -> HDF5Group {
    try HDF5Library.sync {
      let target = childPath(name)
      guard try kind(of: name) == .group else {
        throw HDF5Error.wrongKind(file: filePath, path: target, expected: "group")
      }
      let gid = H5Gopen2(id, name, wb_h5p_default())
      guard gid >= 0 else { throw fail("open group", at: target) }
      return HDF5Group(id: gid, file: file, path: target)
    }
  }

  /// Opens the child dataset `name`.
  /// - Throws: ``HDF5Error/notFound(file:path:)`` or ``HDF5Error/wrongKind(file:path:expected:)``.
  public func dataset(_ name: String) throws -> HDF5Dataset {
    try HDF5Library.sync {
      let target = childPath(name)
      guard try kind(of: name) == .dataset else {
        throw HDF5Error.wrongKind(file: filePath, path: target, expected: "dataset")
      }
      let did = H5Dopen2(id, name, wb_h5p_default())
      guard did >= 0 else { throw fail("open dataset", at: target) }
      return try HDF5Dataset(datasetID: did, file: file, path: target)
    }
  }

  /// Whether a link called `name` exists (every component of a relative path is checked).
  public func contains(_ name: String) -> Bool {
    HDF5Library.sync {
      var prefix = ""
      for component in name.split(separator: "/") {
        prefix += prefix.isEmpty ? String(component) : "/" + component
        if H5Lexists(id, prefix, wb_h5p_default()) <= 0 { return false }
      }
      return !prefix.isEmpty
    }
  }

  /// What the child `name` is.
  /// - Throws: ``HDF5Error/notFound(file:path:)`` when there is no such child.
  public func kind(of name: String) throws -> ChildKind {
    try HDF5Library.sync {
      guard contains(name) else { throw HDF5Error.notFound(file: filePath, path: childPath(name)) }
      let oid = H5Oopen(id, name, wb_h5p_default())
      guard oid >= 0 else { throw fail("open object", at: childPath(name)) }
      defer { H5Oclose(oid) }
      switch H5Iget_type(oid) {
      case H5I_GROUP: return .group
      case H5I_DATASET: return .dataset
      default: return .other
      }
    }
  }

  /// The names of the direct children, in alphabetical (byte) order.
  public func childNames() throws -> [String] {
    try HDF5Library.sync {
      var info = H5G_info_t()
      try HDF5Library.check(H5Gget_info(id, &info), "list group", file: filePath, path: path)
      var names: [String] = []
      for index in 0..<info.nlinks {
        let length = H5Lget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, wb_h5p_default())
        try HDF5Library.check(length, "list group", file: filePath, path: path)
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        H5Lget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, wb_h5p_default())
        names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
      }
      return names
    }
  }
}
