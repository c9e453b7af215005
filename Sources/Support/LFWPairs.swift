import Foundation

/// The pairs of an LFW-style `pairs.txt` (View 2) or `pairsDevTrain.txt` / `pairsDevTest.txt`
/// (View 1): the one pair-list type of Workbench (architecture issue #12, item 5).
///
/// Datasets writes it (the faces generator) and reads it (the LFW importer); Metrics reads it
/// from any tool and resolves pairs to embedding keys. It lives in Support, the lowest target
/// both use, with a strict writer and a tolerant reader:
///
/// - Writer (``text``, ``write(to:)``): the canonical form, tab-separated: `<sets>\t<pairs per
///   set>`, then per set the matched lines `name\tn1\tn2` followed by as many mismatched lines
///   `name1\tn1\tname2\tn2`.
/// - Reader (``parse(_:)``, ``init(contentsOf:)``): the format of
///   http://vis-www.cs.umass.edu/lfw/README.txt as any tool writes it — tabs or spaces, CRLF,
///   blank lines, a one-number header (View 1: one set) — and it still checks what the protocol
///   requires (pair count matches the header, matched lines first in each set, positive image
///   numbers), naming the line of the first problem.
///
/// Image `n` of `name` is the file `name/name_%04d.jpg`, whose stem `name_%04d` is the embedding key.
public struct LFWPairs: Equatable, Sendable {
  /// One pair: two images by embedding key (`Aaron_Peirsol_0001`), whether they show the same
  /// person, the fold, and the line of the file it came from.
  public struct Pair: Equatable, Sendable {
    /// Key of the first image, the LFW file stem (`name_0001`).
    public var first: String
    /// Key of the second image.
    public var second: String
    /// Whether both images show the same person (a "matched" pair).
    public var isMatch: Bool
    /// The fold (set) the pair belongs to, from 0.
    public var fold: Int
    /// The 1-based line of the pair in its file (0 if not read from a file), for error messages.
    public var line: Int

    /// Creates a pair from embedding keys (pairs that did not come from a file).
    public init(first: String, second: String, isMatch: Bool, fold: Int, line: Int = 0) {
      (self.first, self.second, self.isMatch, self.fold, self.line) = (first, second, isMatch, fold, line)
    }

    /// Creates a pair from person names and 1-based image numbers; it is matched when the names agree.
    public init(name1: String, number1: Int, name2: String, number2: Int, fold: Int, line: Int = 0) {
      self.init(
        first: LFWPairs.key(name: name1, index: number1), second: LFWPairs.key(name: name2, index: number2),
        isMatch: name1 == name2, fold: fold, line: line)
    }

    /// The person of the first image (the key up to its last `_`).
    public var name1: String { LFWPairs.split(first).name }
    /// The 1-based image number of the first image (the key's number after its last `_`).
    public var number1: Int { LFWPairs.split(first).number }
    /// The person of the second image.
    public var name2: String { LFWPairs.split(second).name }
    /// The 1-based image number of the second image.
    public var number2: Int { LFWPairs.split(second).number }
  }

  /// Number of folds (sets).
  public var folds: Int
  /// Matched pairs per fold (mismatched pairs are as many).
  public var pairsPerFold: Int
  /// All pairs, in file order: per fold, matched then mismatched.
  public var pairs: [Pair]

  /// Creates a pair list directly (for protocols other than the file).
  public init(folds: Int, pairsPerFold: Int, pairs: [Pair]) {
    (self.folds, self.pairsPerFold, self.pairs) = (folds, pairsPerFold, pairs)
  }

  /// The embedding key of image `index` of `name`: `name_0001` for index 1.
  public static func key(name: String, index: Int) -> String {
    let digits = String(index)
    return name + "_" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// A key split at its last `_` into person and image number (0 when the key has no number).
  static func split(_ key: String) -> (name: String, number: Int) {
    guard let cut = key.lastIndex(of: "_"), let number = Int(key[key.index(after: cut)...]) else { return (key, 0) }
    return (String(key[..<cut]), number)
  }

  // MARK: Strict writer

  /// The file's text in the canonical tab-separated form.
  public var text: String {
    var lines = ["\(folds)\t\(pairsPerFold)"]
    for pair in pairs {
      lines.append(
        pair.isMatch
          ? "\(pair.name1)\t\(pair.number1)\t\(pair.number2)"
          : "\(pair.name1)\t\(pair.number1)\t\(pair.name2)\t\(pair.number2)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes ``text`` atomically.
  public func write(to path: String) throws {
    try AtomicFile.write(Data(text.utf8), to: path)
  }

  // MARK: Tolerant reader

  /// Reads and parses a pairs file.
  ///
  /// - Throws: ``LFWPairsError/unreadable(path:)``, or ``LFWPairsError/inFile(path:error:)``
  ///   wrapping the parse error, so the message names the file and the line.
  public init(contentsOf path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else { throw LFWPairsError.unreadable(path: path) }
    do {
      self = try Self.parse(String(decoding: data, as: UTF8.self))
    } catch let error as LFWPairsError {
      throw LFWPairsError.inFile(path: path, error: error)
    }
  }

  /// Parses the text of a pairs file.
  ///
  /// - Throws: ``LFWPairsError`` with the 1-based line number of the first problem.
  public static func parse(_ text: String) throws -> LFWPairs {
    var lines: [(number: Int, fields: [Substring])] = []
    // Lines end in "\n", "\r\n" (one Character in Swift, so splitting on "\n" alone would keep a
    // CRLF file as one line) or "\r".
    for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if !fields.isEmpty { lines.append((n + 1, fields)) }
    }
    guard let header = lines.first else { throw LFWPairsError.empty }
    let counts = header.fields.map { Int($0) }
    let folds: Int
    let perFold: Int
    switch counts.count {
    case 1:
      guard let p = counts[0], p > 0 else { throw LFWPairsError.badHeader(line: header.number) }
      (folds, perFold) = (1, p)
    case 2:
      guard let s = counts[0], let p = counts[1], s > 0, p > 0 else {
        throw LFWPairsError.badHeader(line: header.number)
      }
      (folds, perFold) = (s, p)
    default:
      throw LFWPairsError.badHeader(line: header.number)
    }
    let body = lines.dropFirst()
    let expected = folds * perFold * 2
    guard body.count == expected else {
      throw LFWPairsError.wrongPairCount(
        expected: expected, actual: body.count, folds: folds, perFold: perFold)
    }
    var pairs: [Pair] = []
    pairs.reserveCapacity(expected)
    for (n, entry) in body.enumerated() {
      let fold = n / (2 * perFold)
      let isMatch = n % (2 * perFold) < perFold
      pairs.append(try parsePair(entry.fields, line: entry.number, fold: fold, isMatch: isMatch))
    }
    return LFWPairs(folds: folds, pairsPerFold: perFold, pairs: pairs)
  }

  private static func parsePair(
    _ f: [Substring], line: Int, fold: Int, isMatch: Bool
  ) throws -> Pair {
    func index(_ s: Substring) throws -> Int {
      guard let i = Int(s), i > 0 else {
        throw LFWPairsError.badImageNumber(line: line, text: String(s))
      }
      return i
    }
    if isMatch {
      guard f.count == 3 else {
        throw LFWPairsError.unexpectedPair(
          line: line, fold: fold, expectedMatched: true, fieldCount: f.count)
      }
      let name = String(f[0])
      return Pair(
        first: key(name: name, index: try index(f[1])),
        second: key(name: name, index: try index(f[2])), isMatch: true, fold: fold, line: line)
    }
    guard f.count == 4 else {
      throw LFWPairsError.unexpectedPair(
        line: line, fold: fold, expectedMatched: false, fieldCount: f.count)
    }
    return Pair(
      first: key(name: String(f[0]), index: try index(f[1])),
      second: key(name: String(f[2]), index: try index(f[3])), isMatch: false, fold: fold,
      line: line)
  }
}
