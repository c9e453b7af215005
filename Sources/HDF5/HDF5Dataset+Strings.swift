import CHDF5

extension HDF5Dataset {
  /// Reads a 1-D dataset of strings (variable- or fixed-length, as h5py and others write them).
  /// - Throws: ``HDF5Error/typeMismatch(file:path:stored:requested:)`` for non-string data.
  public func readStrings() throws -> [String] {
    try HDF5Library.sync {
      guard elementType == .string else {
        throw HDF5Error.typeMismatch(
          file: filePath, path: path, stored: elementType.description, requested: "strings")
      }
      let fileType = H5Dget_type(id)
      defer { H5Tclose(fileType) }
      let space = H5Dget_space(id)
      defer { H5Sclose(space) }
      let strings = HDF5Strings.read(count: count, fileType: fileType, space: space) {
        H5Dread(id, $0, wb_h5s_all(), wb_h5s_all(), wb_h5p_default(), $1)
      }
      guard let strings else { throw fail("read strings from") }
      return strings
    }
  }
}
