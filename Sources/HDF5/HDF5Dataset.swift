import CHDF5

/// An n-dimensional array stored in an HDF5 file.
///
/// Reads and writes can cover the whole dataset or a hyperslab (an `offset` and a `count` per
/// axis), so a batch of images is read without loading the file. Numeric data is converted by
/// HDF5 on read, so a stored `uint8` dataset reads as `Float` if asked.
public final class HDF5Dataset: HDF5Object {
  /// The current extent of each axis.
  public private(set) var shape: [Int]
  /// The stored element type.
  public let elementType: HDF5ElementType

  init(datasetID id: hid_t, file: HDF5FileHandle, path: String) throws {
    let fileType = H5Dget_type(id)
    guard fileType >= 0 else {
      H5Dclose(id)
      throw HDF5Error.operationFailed(
        operation: "read the type of", file: file.path, path: path, reason: HDF5Library.lastError())
    }
    elementType = HDF5ElementType(typeID: fileType)
    H5Tclose(fileType)
    shape = []
    super.init(id: id, file: file, path: path)
    shape = try currentShape()
  }

  /// The number of elements.
  public var count: Int { shape.reduce(1, *) }

  /// The chunk shape, or `nil` for contiguous storage.
  public var chunkShape: [Int]? {
    HDF5Library.sync {
      let dcpl = H5Dget_create_plist(id)
      defer { H5Pclose(dcpl) }
      guard H5Pget_layout(dcpl) == H5D_CHUNKED else { return nil }
      var dims = [hsize_t](repeating: 0, count: max(shape.count, 1))
      let rank = H5Pget_chunk(dcpl, Int32(dims.count), &dims)
      return rank < 0 ? nil : dims.prefix(Int(rank)).map { Int($0) }
    }
  }

  /// Reads every element, in row-major order.
  public func read<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
    try read(offset: shape.map { _ in 0 }, count: shape)
  }

  /// Reads the hyperslab starting at `offset` with `count` elements along each axis.
  /// - Throws: ``HDF5Error/selectionOutOfBounds(file:path:offset:count:shape:)`` when the
  ///   selection does not fit, ``HDF5Error/typeMismatch(file:path:stored:requested:)`` for
  ///   non-numeric data.
  public func read<T: HDF5Scalar>(
    offset: [Int], count: [Int], as type: T.Type = T.self
  ) throws -> [T] {
    let total = count.reduce(1, *)
    var values = [T](repeating: 0, count: total)
    try values.withUnsafeMutableBufferPointer { try read(offset: offset, count: count, into: $0) }
    return values
  }

  /// Reads a hyperslab into caller-owned memory (no allocation; used by the data loader).
  public func read<T: HDF5Scalar>(
    offset: [Int], count: [Int], into buffer: UnsafeMutableBufferPointer<T>
  ) throws {
    try HDF5Library.sync {
      guard elementType.isNumeric else {
        throw HDF5Error.typeMismatch(
          file: filePath, path: path, stored: elementType.description,
          requested: "\(T.hdf5ElementType)")
      }
      let total = count.reduce(1, *)
      guard buffer.count >= total else {
        throw HDF5Error.sizeMismatch(file: filePath, path: path, expected: total, got: buffer.count)
      }
      guard total > 0 else { return }
      try withSelection(offset: offset, count: count) { memSpace, fileSpace in
        let status = H5Dread(
          id, T.hdf5MemoryType, memSpace, fileSpace, wb_h5p_default(), buffer.baseAddress)
        if status < 0 { throw fail("read dataset") }
      }
    }
  }

  /// Replaces every element; `values.count` must equal ``count``.
  public func write<T: HDF5Scalar>(_ values: [T]) throws {
    try write(values, offset: shape.map { _ in 0 }, count: shape)
  }

  /// Writes `values` (row-major, `count` elements per axis) into the hyperslab at `offset`.
  public func write<T: HDF5Scalar>(_ values: [T], offset: [Int], count: [Int]) throws {
    try values.withUnsafeBufferPointer { try write($0, offset: offset, count: count) }
  }

  /// Writes from caller-owned memory into the hyperslab at `offset`.
  public func write<T: HDF5Scalar>(
    _ values: UnsafeBufferPointer<T>, offset: [Int], count: [Int]
  ) throws {
    try HDF5Library.sync {
      let total = count.reduce(1, *)
      guard values.count == total else {
        throw HDF5Error.sizeMismatch(file: filePath, path: path, expected: total, got: values.count)
      }
      guard total > 0 else { return }
      try withSelection(offset: offset, count: count) { memSpace, fileSpace in
        let status = H5Dwrite(
          id, T.hdf5MemoryType, memSpace, fileSpace, wb_h5p_default(), values.baseAddress)
        if status < 0 { throw fail("write dataset") }
      }
    }
  }

  /// Grows (or shrinks) a chunked dataset created with a larger or unlimited `maxShape`.
  public func extend(to newShape: [Int]) throws {
    try HDF5Library.sync {
      let dims = newShape.map { hsize_t($0) }
      guard newShape.count == shape.count, H5Dset_extent(id, dims) >= 0 else {
        throw fail("extend dataset to \(newShape)")
      }
      shape = try currentShape()
    }
  }

  private func currentShape() throws -> [Int] {
    let space = H5Dget_space(id)
    guard space >= 0 else { throw fail("read the shape of") }
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    var dims = [hsize_t](repeating: 0, count: max(rank, 1))
    H5Sget_simple_extent_dims(space, &dims, nil)
    return dims.prefix(rank).map { Int($0) }
  }

  /// Runs `body` with a memory space of shape `count` and the file space narrowed to the slab.
  func withSelection(
    offset: [Int], count: [Int], _ body: (hid_t, hid_t) throws -> Void
  ) throws {
    let fits =
      offset.count == shape.count && count.count == shape.count
      && zip(zip(offset, count), shape).allSatisfy { $0.0 >= 0 && $0.1 >= 0 && $0.0 + $0.1 <= $1 }
    guard fits else {
      throw HDF5Error.selectionOutOfBounds(
        file: filePath, path: path, offset: offset, count: count, shape: shape)
    }
    if shape.isEmpty {  // scalar dataset
      try body(wb_h5s_all(), wb_h5s_all())
      return
    }
    let fileSpace = H5Dget_space(id)
    guard fileSpace >= 0 else { throw fail("select in") }
    defer { H5Sclose(fileSpace) }
    let start = offset.map { hsize_t($0) }
    let extent = count.map { hsize_t($0) }
    guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, extent, nil) >= 0 else {
      throw fail("select in")
    }
    let memSpace = H5Screate_simple(Int32(extent.count), extent, nil)
    guard memSpace >= 0 else { throw fail("select in") }
    defer { H5Sclose(memSpace) }
    try body(memSpace, fileSpace)
  }
}
