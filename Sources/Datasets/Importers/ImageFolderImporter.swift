/// Imports an image-folder classification dataset: one sub-folder per class.
///
/// Layouts: `root/<class>/*.png|jpg` (all go to `train`), or `root/<split>/<class>/…` for
/// splits train, val, test. Classes are the sorted folder names (of the first split); other
/// splits must use the same class folders.
public struct ImageFolderImporter {
  public var root: String
  public var options: ImportOptions

  /// Creates an importer for the folder `root`.
  public init(root: String, options: ImportOptions = ImportOptions()) {
    self.root = root
    self.options = options
  }

  /// Writes the dataset to `path` atomically and returns its content hash.
  /// - Throws: ``DatasetError/emptyFolder(path:expected:)`` for a folder without classes or a
  ///   class folder without images; image errors name the file.
  @discardableResult
  public func write(to path: String) throws -> String {
    try options.validate()
    try ImagePreparer.requireFolder(root, expected: "one folder per class")
    let top = try ImagePreparer.subfolders(of: root)
    let splitNames = SplitName.all.filter(top.contains)
    let splits = splitNames.isEmpty ? [("train", root)] : splitNames.map { ($0, root + "/" + $0) }
    var classNames: [String]?
    var samples: [(split: String, files: [(String, Int)])] = []
    for (split, folder) in splits {
      let classes = try ImagePreparer.subfolders(of: folder)
      guard !classes.isEmpty else { throw DatasetError.emptyFolder(path: folder, expected: "class folders") }
      let names = classNames ?? classes
      classNames = names
      var files: [(String, Int)] = []
      for name in classes {
        guard let label = names.firstIndex(of: name) else {
          throw DatasetError.invalidFile(
            file: folder + "/" + name,
            reason: "class '\(name)' does not exist in the first split (\(names.joined(separator: ", ")))")
        }
        let images = try ImagePreparer.imageFiles(in: folder + "/" + name)
        guard !images.isEmpty else {
          throw DatasetError.emptyFolder(path: folder + "/" + name, expected: "PNG or JPEG images")
        }
        files += images.map { ($0, label) }
      }
      samples.append((split, files))
    }
    var preparer = ImagePreparer(options: options)
    let size = try preparer.outputSize(firstImage: samples[0].files[0].0)
    let writer = try DatasetWriter(
      path: path, kind: .classification, classNames: classNames ?? [], source: "imported:imagefolder \(root)",
      imageSize: (size.height, size.width, options.channels), compression: options.compression)
    for (split, files) in samples {
      try writer.beginSplit(split, count: files.count)
      for (file, label) in files { try writer.append(preparer.load(file).0, label: label) }
      try writer.endSplit()
    }
    return try writer.finish()
  }
}
