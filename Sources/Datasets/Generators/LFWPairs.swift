import Foundation
import Support

/// Verification pairs in the LFW `pairs.txt` format.
///
/// The file starts with `<folds>\t<pairs per fold>`; each fold then lists that many matched pairs
/// (`name\tn1\tn2`) followed by as many mismatched pairs (`name1\tn1\tname2\tn2`), where `n` is the
/// 1-based number of an image of that person (`Name/Name_0003.jpg` is number 3).
public struct LFWPairs: Equatable, Sendable {
  /// One pair, by names and 1-based image numbers.
  public struct Pair: Equatable, Sendable {
    public var name1: String, number1: Int, name2: String, number2: Int
    public var isMatch: Bool { name1 == name2 }
    public var fold: Int
    /// The 1-based line of the pair in its `pairs.txt` (0 if not read from a file).
    public var line: Int

    /// Creates a pair.
    public init(name1: String, number1: Int, name2: String, number2: Int, fold: Int, line: Int = 0) {
      (self.name1, self.number1, self.name2, self.number2) = (name1, number1, name2, number2)
      (self.fold, self.line) = (fold, line)
    }
  }

  public var folds: Int
  public var pairsPerFold: Int
  /// Pairs in file order: per fold, matched then mismatched.
  public var pairs: [Pair]

  /// Creates a pair list.
  public init(folds: Int, pairsPerFold: Int, pairs: [Pair]) {
    (self.folds, self.pairsPerFold, self.pairs) = (folds, pairsPerFold, pairs)
  }

  /// The file's text.
  public var text: String {
    var lines = ["\(folds)\t\(pairsPerFold)"]
    for pair in pairs {
      lines.append(pair.isMatch ? "\(pair.name1)\t\(pair.number1)\t\(pair.number2)"
                                : "\(pair.name1)\t\(pair.number1)\t\(pair.name2)\t\(pair.number2)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes the file atomically.
  public func write(to path: String) throws {
    try AtomicFile.write(Data(text.utf8), to: path)
  }

  /// Parses a `pairs.txt` file.
  /// - Throws: ``DatasetError/badLine(file:line:reason:)`` naming the line that is malformed.
  public init(contentsOf path: String) throws {
    let data = try FileSystem.read(path, "the pairs file")
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    let header = lines.first?.split(whereSeparator: { $0 == "\t" || $0 == " " }).compactMap { Int($0) } ?? []
    guard header.count == 2, header[0] > 0, header[1] > 0 else {
      throw DatasetError.badLine(file: path, line: 1, reason: "expected '<folds> <pairs per fold>'")
    }
    (folds, pairsPerFold) = (header[0], header[1])
    pairs = []
    for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
      let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
      let fold = min(folds - 1, pairs.count / (2 * pairsPerFold))
      switch fields.count {
      case 3:
        guard let a = Int(fields[1]), let b = Int(fields[2]), a > 0, b > 0 else {
          throw DatasetError.badLine(file: path, line: index + 1, reason: "image numbers must be positive integers")
        }
        pairs.append(Pair(name1: fields[0], number1: a, name2: fields[0], number2: b, fold: fold, line: index + 1))
      case 4:
        guard let a = Int(fields[1]), let b = Int(fields[3]), a > 0, b > 0 else {
          throw DatasetError.badLine(file: path, line: index + 1, reason: "image numbers must be positive integers")
        }
        pairs.append(Pair(name1: fields[0], number1: a, name2: fields[2], number2: b, fold: fold, line: index + 1))
      default:
        throw DatasetError.badLine(file: path, line: index + 1, reason: "expected 'name n1 n2' or 'name1 n1 name2 n2', got \(fields.count) fields")
      }
    }
  }
}
