/// "Did you mean …?" for unknown keys and enum values: the closest candidate by edit distance,
/// offered only when it is close enough to be a plausible typo.
enum Suggestion {
  static func closest(to word: String, in candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)? = nil
    for c in candidates {
      let d = distance(w, Array(c.lowercased()))
      if d < (best?.1 ?? .max) { best = (c, d) }
    }
    guard let (c, d) = best else { return nil }
    return d <= max(2, c.count / 3) ? c : nil
  }

  /// Levenshtein distance with adjacent transpositions counted as one edit.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { cur[j] = min(cur[j], prev2[j - 2] + 1) }
      }
      (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
  }
}
