import CHDF5

/// A Swift numeric type with a native HDF5 counterpart, usable as a dataset or attribute element.
public protocol HDF5Scalar: Numeric, Sendable {
  /// The HDF5 in-memory type identifier (one of the `H5T_NATIVE_*` types).
  static var hdf5MemoryType: hid_t { get }
  /// The element type this Swift type maps to.
  static var hdf5ElementType: HDF5ElementType { get }
}

extension UInt8: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_uint8() }
  public static var hdf5ElementType: HDF5ElementType { .uint8 }
}
extension Int8: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_int8() }
  public static var hdf5ElementType: HDF5ElementType { .int8 }
}
extension UInt16: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_uint16() }
  public static var hdf5ElementType: HDF5ElementType { .uint16 }
}
extension Int16: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_int16() }
  public static var hdf5ElementType: HDF5ElementType { .int16 }
}
extension UInt32: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_uint32() }
  public static var hdf5ElementType: HDF5ElementType { .uint32 }
}
extension Int32: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_int32() }
  public static var hdf5ElementType: HDF5ElementType { .int32 }
}
extension UInt64: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_uint64() }
  public static var hdf5ElementType: HDF5ElementType { .uint64 }
}
extension Int64: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_int64() }
  public static var hdf5ElementType: HDF5ElementType { .int64 }
}
extension Float: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_float() }
  public static var hdf5ElementType: HDF5ElementType { .float32 }
}
extension Double: HDF5Scalar {
  public static var hdf5MemoryType: hid_t { wb_h5t_native_double() }
  public static var hdf5ElementType: HDF5ElementType { .float64 }
}
