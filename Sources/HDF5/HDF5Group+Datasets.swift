import CHDF5

extension HDF5Group {
  /// Creates a dataset of `T` with the given shape, filled with zeros until written.
  ///
  /// - Parameters:
  ///   - name: the child name (intermediate groups are created).
  ///   - shape: the initial extent of each axis.
  ///   - maxShape: the largest extent per axis (`nil` entries mean unlimited), for datasets grown
  ///     later with ``HDF5Dataset/extend(to:)``; needs chunked storage (chosen if not given).
  ///   - options: chunking and compression.
  @discardableResult
  public func createDataset<T: HDF5Scalar>(
    _ name: String, of type: T.Type, shape: [Int], maxShape: [Int?]? = nil,
    options: HDF5DatasetOptions = HDF5DatasetOptions()
  ) throws -> HDF5Dataset {
    try HDF5Library.sync {
      try createDataset(
        name, memoryType: T.hdf5MemoryType, elementSize: MemoryLayout<T>.size, shape: shape,
        maxShape: maxShape, options: options)
    }
  }

  /// Creates a dataset holding `values` with the given shape.
  @discardableResult
  public func write<T: HDF5Scalar>(
    _ values: [T], shape: [Int], to name: String,
    options: HDF5DatasetOptions = HDF5DatasetOptions()
  ) throws -> HDF5Dataset {
    try HDF5Library.sync {
      let expected = shape.reduce(1, *)
      guard values.count == expected else {
        throw HDF5Error.sizeMismatch(
          file: filePath, path: childPath(name), expected: expected, got: values.count)
      }
      let dataset = try createDataset(name, of: T.self, shape: shape, options: options)
      try dataset.write(values)
      return dataset
    }
  }

  /// Reads the whole dataset `name` as `T`.
  public func read<T: HDF5Scalar>(_ name: String, as type: T.Type = T.self) throws -> [T] {
    try dataset(name).read(as: T.self)
  }

  /// Creates a 1-D dataset of variable-length UTF-8 strings (h5py reads it as `str` objects).
  @discardableResult
  public func writeStrings(_ strings: [String], to name: String) throws -> HDF5Dataset {
    try HDF5Library.sync {
      let type = HDF5Strings.variableLengthType()
      defer { H5Tclose(type) }
      let dataset = try createDataset(
        name, memoryType: type, elementSize: MemoryLayout<UnsafeRawPointer>.size,
        shape: [strings.count], maxShape: nil, options: HDF5DatasetOptions())
      guard !strings.isEmpty else { return dataset }
      let status = HDF5Strings.withCStrings(strings) {
        H5Dwrite(dataset.id, type, wb_h5s_all(), wb_h5s_all(), wb_h5p_default(), $0)
      }
      if status < 0 { throw fail("write strings to", at: dataset.path) }
      return dataset
    }
  }

  private func createDataset(
    _ name: String, memoryType: hid_t, elementSize: Int, shape: [Int], maxShape: [Int?]?,
    options: HDF5DatasetOptions
  ) throws -> HDF5Dataset {
    let target = childPath(name)
    let dims = shape.map { hsize_t($0) }
    let maxDims = maxShape.map { $0.map { $0.map { hsize_t($0) } ?? hsize_t.max } }
    if let maxDims, maxDims.count != dims.count {
      throw HDF5Error.operationFailed(
        operation: "create dataset (maxShape rank differs from shape)", file: filePath,
        path: target, reason: "")
    }
    let space =
      maxDims.map { H5Screate_simple(Int32(dims.count), dims, $0) }
      ?? (dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil))
    guard space >= 0 else { throw fail("create dataspace for", at: target) }
    defer { H5Sclose(space) }
    let dcpl = try creationProperties(
      shape: shape, elementSize: elementSize, needsChunks: maxShape != nil, options: options,
      target: target)
    defer { H5Pclose(dcpl) }
    let lcpl = H5Pcreate(wb_h5p_link_create())
    defer { H5Pclose(lcpl) }
    H5Pset_create_intermediate_group(lcpl, 1)
    let fileType = H5Tcopy(memoryType)
    defer { H5Tclose(fileType) }
    let did = H5Dcreate2(id, name, fileType, space, lcpl, dcpl, wb_h5p_default())
    guard did >= 0 else { throw fail("create dataset", at: target) }
    return try HDF5Dataset(datasetID: did, file: file, path: target)
  }

  private func creationProperties(
    shape: [Int], elementSize: Int, needsChunks: Bool, options: HDF5DatasetOptions,
    target: String
  ) throws -> hid_t {
    let dcpl = H5Pcreate(wb_h5p_dataset_create())
    guard dcpl >= 0 else { throw fail("create dataset", at: target) }
    H5Pset_obj_track_times(dcpl, false)
    let wantsChunks = needsChunks || options.chunks != nil || options.gzipLevel != nil
    guard wantsChunks, !shape.isEmpty else { return dcpl }
    let chunks =
      options.chunks
      ?? HDF5DatasetOptions.defaultChunks(for: shape, elementSize: elementSize)
    guard chunks.count == shape.count, chunks.allSatisfy({ $0 > 0 }) else {
      H5Pclose(dcpl)
      throw HDF5Error.operationFailed(
        operation: "create dataset with chunk shape \(chunks) for shape \(shape)", file: filePath,
        path: target, reason: "")
    }
    var ok = H5Pset_chunk(dcpl, Int32(chunks.count), chunks.map { hsize_t($0) }) >= 0
    if options.shuffle { ok = ok && H5Pset_shuffle(dcpl) >= 0 }
    if let level = options.gzipLevel { ok = ok && H5Pset_deflate(dcpl, UInt32(level)) >= 0 }
    guard ok else {
      H5Pclose(dcpl)
      throw fail("set chunking/compression for", at: target)
    }
    return dcpl
  }
}
