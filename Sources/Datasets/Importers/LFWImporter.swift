import Foundation
import Support

/// Imports an LFW-style identity folder (`root/Name/Name_0001.jpg`) and optionally its
/// `pairs.txt` into an identity dataset.
///
/// Identities are the sorted folder names; images of an identity are numbered from 1 in file
/// name order, which is how `pairs.txt` refers to them. All images go to one split (default
/// `test`, as LFW is an evaluation set), with the pairs stored as its `pairs` dataset.
public struct LFWImporter {
  public var root: String
  public var pairsFile: String?
  public var split: String
  public var options: ImportOptions

  /// Creates an importer.
  public init(root: String, pairsFile: String? = nil, split: String = "test", options: ImportOptions = ImportOptions())
  {
    self.root = root
    self.pairsFile = pairsFile
    self.split = split
    self.options = options
  }

  /// Writes the dataset to `path` atomically and returns its content hash.
  /// - Throws: ``DatasetError/missingFile(file:referencedFrom:line:)`` naming `pairs.txt` and the
  ///   line of a pair whose image does not exist; ``DatasetError/emptyFolder(path:expected:)``.
  @discardableResult
  public func write(to path: String) throws -> String {
    try options.validate()
    try ImagePreparer.requireFolder(root, expected: "one folder per person")
    let names = try ImagePreparer.subfolders(of: root)
    var files: [(file: String, identity: Int)] = []
    var firstIndex: [String: (start: Int, count: Int)] = [:]
    for (identity, name) in names.enumerated() {
      let images = try ImagePreparer.imageFiles(in: root + "/" + name)
      firstIndex[name] = (files.count, images.count)
      files += images.map { ($0, identity) }
    }
    guard !files.isEmpty else { throw DatasetError.emptyFolder(path: root, expected: "person folders with images") }
    var pairs: [VerificationPair] = []
    if let pairsFile {
      let lfw = try LFWPairs(contentsOf: pairsFile)
      for pair in lfw.pairs {
        func index(_ name: String, _ number: Int) throws -> Int {
          guard let entry = firstIndex[name], number <= entry.count else {
            let expected = root + "/" + name + "/" + name + "_" + String(format: "%04d", number) + ".jpg"
            throw DatasetError.missingFile(file: expected, referencedFrom: pairsFile, line: pair.line)
          }
          return entry.start + number - 1
        }
        pairs.append(
          VerificationPair(
            first: try index(pair.name1, pair.number1), second: try index(pair.name2, pair.number2),
            isMatch: pair.isMatch, fold: pair.fold))
      }
    }
    var preparer = ImagePreparer(options: options)
    let size = try preparer.outputSize(firstImage: files[0].file)
    let writer = try DatasetWriter(
      path: path, kind: .identity, classNames: [], source: "imported:lfw \(root)",
      imageSize: (size.height, size.width, options.channels), compression: options.compression)
    try writer.beginSplit(split, count: files.count)
    for (file, identity) in files { try writer.append(preparer.load(file).0, identity: identity) }
    try writer.endSplit(identityNames: names, pairs: pairs)
    return try writer.finish()
  }
}
