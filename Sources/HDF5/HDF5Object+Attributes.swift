import CHDF5

extension HDF5Object {
  /// Sets (creating or replacing) the attribute `name` on this group or dataset.
  public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
    try HDF5Library.sync {
      if H5Aexists(id, name) > 0, H5Adelete(id, name) < 0 {
        throw fail("replace attribute '\(name)' of")
      }
      switch value {
      case let .int(v): try writeNumbers(name, [v], scalar: true)
      case let .ints(v): try writeNumbers(name, v, scalar: false)
      case let .double(v): try writeNumbers(name, [v], scalar: true)
      case let .doubles(v): try writeNumbers(name, v, scalar: false)
      case let .string(v): try writeStrings(name, [v], scalar: true)
      case let .strings(v): try writeStrings(name, v, scalar: false)
      }
    }
  }

  /// The attribute `name`, or `nil` when absent.
  /// - Throws: ``HDF5Error`` when it exists but cannot be read or has an unsupported type.
  public func attribute(_ name: String) throws -> HDF5AttributeValue? {
    try HDF5Library.sync {
      guard H5Aexists(id, name) > 0 else { return nil }
      let aid = H5Aopen(id, name, wb_h5p_default())
      guard aid >= 0 else { throw fail("open attribute '\(name)' of") }
      defer { H5Aclose(aid) }
      let type = H5Aget_type(aid)
      defer { H5Tclose(type) }
      let space = H5Aget_space(aid)
      defer { H5Sclose(space) }
      let count = Int(H5Sget_simple_extent_npoints(space))
      let scalar = H5Sget_simple_extent_ndims(space) == 0
      let kind = HDF5ElementType(typeID: type)
      switch kind {
      case .string:
        let strings = HDF5Strings.read(count: count, fileType: type, space: space) {
          H5Aread(aid, $0, $1)
        }
        guard let strings else { throw fail("read attribute '\(name)' of") }
        return scalar && strings.count == 1 ? .string(strings[0]) : .strings(strings)
      case .float32, .float64:
        var values = [Double](repeating: 0, count: count)
        guard H5Aread(aid, Double.hdf5MemoryType, &values) >= 0 else {
          throw fail("read attribute '\(name)' of")
        }
        return scalar && count == 1 ? .double(values[0]) : .doubles(values)
      case .other:
        throw HDF5Error.typeMismatch(
          file: filePath, path: "\(path)@\(name)", stored: kind.description,
          requested: "number or string")
      default:
        var values = [Int64](repeating: 0, count: count)
        guard H5Aread(aid, Int64.hdf5MemoryType, &values) >= 0 else {
          throw fail("read attribute '\(name)' of")
        }
        return scalar && count == 1 ? .int(values[0]) : .ints(values)
      }
    }
  }

  /// The names of this object's attributes, in alphabetical order.
  public func attributeNames() -> [String] {
    HDF5Library.sync {
      var names: [String] = []
      var index: hsize_t = 0
      while true {
        let length = H5Aget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, wb_h5p_default())
        if length < 0 { break }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        H5Aget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count,
          wb_h5p_default())
        names.append(String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        index += 1
      }
      _ = HDF5Library.lastError()  // the loop ends on an (expected) out-of-range error
      return names
    }
  }

  private func writeNumbers<T: HDF5Scalar>(_ name: String, _ values: [T], scalar: Bool) throws {
    let space =
      scalar
      ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, [hsize_t(values.count)], nil)
    defer { H5Sclose(space) }
    let aid = H5Acreate2(id, name, T.hdf5MemoryType, space, wb_h5p_default(), wb_h5p_default())
    guard aid >= 0 else { throw fail("create attribute '\(name)' on") }
    defer { H5Aclose(aid) }
    let status = values.withUnsafeBytes { H5Awrite(aid, T.hdf5MemoryType, $0.baseAddress) }
    guard status >= 0 else {
      throw fail("write attribute '\(name)' on")
    }
  }

  private func writeStrings(_ name: String, _ values: [String], scalar: Bool) throws {
    let type = HDF5Strings.variableLengthType()
    defer { H5Tclose(type) }
    let space =
      scalar
      ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, [hsize_t(values.count)], nil)
    defer { H5Sclose(space) }
    let aid = H5Acreate2(id, name, type, space, wb_h5p_default(), wb_h5p_default())
    guard aid >= 0 else { throw fail("create attribute '\(name)' on") }
    defer { H5Aclose(aid) }
    guard values.isEmpty || HDF5Strings.withCStrings(values, { H5Awrite(aid, type, $0) }) >= 0 else {
      throw fail("write attribute '\(name)' on")
    }
  }
}
