/// A problem with dataset input or files: one sentence naming the file (and line) to fix.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
  /// A malformed line in a text annotation file (YOLO labels, pairs.txt, ...).
  case badLine(file: String, line: Int, reason: String)
  /// A class index outside the known classes.
  case labelOutOfRange(file: String, line: Int?, label: Int, classCount: Int)
  /// A box that is not inside the image.
  case boxOutsideImage(file: String, line: Int?, box: String)
  /// A file named by an annotation or listing does not exist.
  case missingFile(file: String, referencedFrom: String, line: Int?)
  /// A folder that should hold data holds none.
  case emptyFolder(path: String, expected: String)
  /// A structurally invalid input file (JSON, HDF5 layout, ...).
  case invalidFile(file: String, reason: String)
  /// A setting or argument that cannot be used.
  case invalidArgument(String)

  public var description: String {
    switch self {
    case let .badLine(file, line, reason):
      return "\(file):\(line): \(reason)."
    case let .labelOutOfRange(file, line, label, classCount):
      return "\(Self.place(file, line)): class \(label) is out of range; "
        + "there are \(classCount) classes (0...\(classCount - 1))."
    case let .boxOutsideImage(file, line, box):
      return "\(Self.place(file, line)): box \(box) lies outside the image "
        + "(normalised coordinates must be within 0...1 and sizes positive)."
    case let .missingFile(file, referencedFrom, line):
      return "\(Self.place(referencedFrom, line)): file '\(file)' does not exist."
    case let .emptyFolder(path, expected):
      return "Folder '\(path)' contains no \(expected)."
    case let .invalidFile(file, reason):
      return "File '\(file)' is not a valid dataset input: \(reason)."
    case let .invalidArgument(message):
      return message
    }
  }

  private static func place(_ file: String, _ line: Int?) -> String {
    line.map { "\(file):\($0)" } ?? file
  }
}
