import Foundation

/// Relative links between output folders.
enum RelativePath {
  /// The path of `target` relative to the folder `base` (both absolute file URLs), e.g.
  /// `../../shapes/run-1/report.html`.
  static func from(_ base: URL, to target: URL) -> String {
    let from = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    let to = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < min(from.count, to.count) && from[common] == to[common] { common += 1 }
    let ups = [String](repeating: "..", count: from.count - common)
    return (ups + to[common...]).joined(separator: "/")
  }
}
