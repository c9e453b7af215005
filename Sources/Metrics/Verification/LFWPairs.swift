/// One face pair of LFW's `pairs.txt`, resolved to embedding keys.
public struct LFWPair: Equatable, Sendable {
  /// Key of the first image, the LFW file stem (`Aaron_Peirsol_0001`).
  public var first: String
  /// Key of the second image.
  public var second: String
  /// Whether both images show the same person (a "matched" pair).
  public var isSame: Bool
  /// The fold (set) the pair belongs to, from 0.
  public var fold: Int
  /// The 1-based line of `pairs.txt` the pair came from, for error messages.
  public var line: Int

  /// Creates a pair.
  public init(first: String, second: String, isSame: Bool, fold: Int, line: Int = 0) {
    self.first = first
    self.second = second
    self.isSame = isSame
    self.fold = fold
    self.line = line
  }
}

/// The pairs of LFW's `pairs.txt` (View 2) or `pairsDevTrain.txt` / `pairsDevTest.txt` (View 1).
///
/// Format (http://vis-www.cs.umass.edu/lfw/README.txt): a header with the number of sets and
/// the pairs per set (`10 300`; the View 1 files give only the pair count, meaning one set);
/// then, per set, that many matched lines `name n1 n2` followed by as many mismatched lines
/// `name1 n1 name2 n2`. Image `n` of `name` is `name_%04d`, which is also the embedding key.
public struct LFWPairs: Equatable, Sendable {
  /// Number of folds (sets).
  public var folds: Int
  /// Matched pairs per fold (mismatched pairs are as many).
  public var pairsPerFold: Int
  /// All pairs, in file order.
  public var pairs: [LFWPair]

  /// Creates a pair list directly (for protocols other than the file).
  public init(folds: Int, pairsPerFold: Int, pairs: [LFWPair]) {
    self.folds = folds
    self.pairsPerFold = pairsPerFold
    self.pairs = pairs
  }

  /// The embedding key of image `index` of `name`: `name_0001` for index 1.
  public static func key(name: String, index: Int) -> String {
    let digits = String(index)
    return name + "_" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// Parses the text of a pairs file.
  ///
  /// - Throws: ``LFWPairsError`` with the 1-based line number of the first problem.
  public static func parse(_ text: String) throws -> LFWPairs {
    var lines: [(number: Int, fields: [Substring])] = []
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
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
    var pairs: [LFWPair] = []
    pairs.reserveCapacity(expected)
    for (n, entry) in body.enumerated() {
      let fold = n / (2 * perFold)
      let isSame = n % (2 * perFold) < perFold
      pairs.append(try parsePair(entry.fields, line: entry.number, fold: fold, isSame: isSame))
    }
    return LFWPairs(folds: folds, pairsPerFold: perFold, pairs: pairs)
  }

  private static func parsePair(
    _ f: [Substring], line: Int, fold: Int, isSame: Bool
  ) throws -> LFWPair {
    func index(_ s: Substring) throws -> Int {
      guard let i = Int(s), i > 0 else {
        throw LFWPairsError.badImageNumber(line: line, text: String(s))
      }
      return i
    }
    if isSame {
      guard f.count == 3 else {
        throw LFWPairsError.unexpectedPair(
          line: line, fold: fold, expectedMatched: true, fieldCount: f.count)
      }
      let name = String(f[0])
      return LFWPair(
        first: key(name: name, index: try index(f[1])),
        second: key(name: name, index: try index(f[2])), isSame: true, fold: fold, line: line)
    }
    guard f.count == 4 else {
      throw LFWPairsError.unexpectedPair(
        line: line, fold: fold, expectedMatched: false, fieldCount: f.count)
    }
    return LFWPair(
      first: key(name: String(f[0]), index: try index(f[1])),
      second: key(name: String(f[2]), index: try index(f[3])), isSame: false, fold: fold,
      line: line)
  }
}
