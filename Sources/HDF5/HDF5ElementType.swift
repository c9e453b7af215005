import CHDF5

/// The element type of a stored dataset or attribute, as far as Workbench cares.
public enum HDF5ElementType: Equatable, Sendable, CustomStringConvertible {
  case uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64
  /// A string, variable-length (as h5py writes `str`) or fixed-length.
  case string
  /// Anything else (compound, enum, reference, ...), with HDF5's class name.
  case other(String)

  public var description: String {
    switch self {
    case .uint8: return "uint8"
    case .int8: return "int8"
    case .uint16: return "uint16"
    case .int16: return "int16"
    case .uint32: return "uint32"
    case .int32: return "int32"
    case .uint64: return "uint64"
    case .int64: return "int64"
    case .float32: return "float32"
    case .float64: return "float64"
    case .string: return "string"
    case let .other(name): return name
    }
  }

  /// Classifies a stored (file) datatype.
  init(typeID: hid_t) {
    let typeClass = H5Tget_class(typeID)
    let size = H5Tget_size(typeID)
    if typeClass == H5T_INTEGER {
      let signed = H5Tget_sign(typeID) == H5T_SGN_2
      switch (size, signed) {
      case (1, false): self = .uint8
      case (1, true): self = .int8
      case (2, false): self = .uint16
      case (2, true): self = .int16
      case (4, false): self = .uint32
      case (4, true): self = .int32
      case (8, false): self = .uint64
      case (8, true): self = .int64
      default: self = .other("integer of \(size) bytes")
      }
    } else if typeClass == H5T_FLOAT {
      switch size {
      case 4: self = .float32
      case 8: self = .float64
      default: self = .other("float of \(size) bytes")
      }
    } else if typeClass == H5T_STRING {
      self = .string
    } else {
      self = .other("HDF5 type class \(typeClass.rawValue)")
    }
  }

  /// Whether values of this type are numbers (HDF5 converts between numeric types on read).
  public var isNumeric: Bool {
    switch self {
    case .string, .other: return false
    default: return true
    }
  }
}
