/// Why a pairs file was rejected; each description names the line.
public indirect enum LFWPairsError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String)
  /// A problem in the named file.
  case inFile(path: String, error: LFWPairsError)
  /// The file has no non-blank line.
  case empty
  /// The first line is not `sets pairsPerSet` (or `pairs`).
  case badHeader(line: Int)
  /// The number of pair lines does not match the header.
  case wrongPairCount(expected: Int, actual: Int, folds: Int, perFold: Int)
  /// A line has the wrong shape for its position (matched lines come first in each set).
  case unexpectedPair(line: Int, fold: Int, expectedMatched: Bool, fieldCount: Int)
  /// An image number is not a positive integer.
  case badImageNumber(line: Int, text: String)

  /// A sentence naming the line and what was expected.
  public var description: String {
    switch self {
    case .unreadable(let path):
      return "pairs file \(path) cannot be read; check that it exists and is readable."
    case .inFile(let path, let error):
      return "\(path): \(error)"
    case .empty:
      return "pairs file is empty; expected a header such as '10 300' followed by the pairs."
    case .badHeader(let line):
      return
        "pairs file line \(line): the header must be 'sets pairsPerSet' (e.g. '10 300') or 'pairs'."
    case .wrongPairCount(let expected, let actual, let folds, let perFold):
      return
        "pairs file has \(actual) pair lines, but its header (\(folds) sets of \(perFold) matched and \(perFold) mismatched pairs) promises \(expected)."
    case .unexpectedPair(let line, let fold, let matched, let count):
      let shape = matched ? "a matched pair 'name n1 n2'" : "a mismatched pair 'name1 n1 name2 n2'"
      return
        "pairs file line \(line) (set \(fold + 1)): expected \(shape) but found \(count) fields."
    case .badImageNumber(let line, let text):
      return "pairs file line \(line): image number '\(text)' is not a positive integer."
    }
  }
}
