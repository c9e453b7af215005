import Foundation
import Geometry

/// Imports a YOLO-format folder into a detection dataset.
///
/// Layouts: `root/images/*.jpg` with `root/labels/*.txt` (all go to `train`), or
/// `root/images/<split>/` with `root/labels/<split>/` for splits train, val, test. A label file
/// has one `class cx cy w h` line per box (normalised); a missing label file means no objects.
/// Class names come from `root/classes.txt` (one per line) or `classNames`; otherwise the
/// classes are numbered from the labels.
public struct YOLOImporter {
  public var root: String
  public var classNames: [String]?
  public var options: ImportOptions

  /// Creates an importer for the folder `root`.
  public init(root: String, classNames: [String]? = nil, options: ImportOptions = ImportOptions()) {
    self.root = root
    self.classNames = classNames
    self.options = options
  }

  /// Writes the dataset to `path` atomically and returns its content hash.
  /// - Throws: ``DatasetError`` naming the label file and line of any bad box or label, or the
  ///   image file that cannot be decoded; nothing is written then.
  @discardableResult
  public func write(to path: String) throws -> String {
    try options.validate()
    try ImagePreparer.requireFolder(root + "/images", expected: "a YOLO dataset with images/ and labels/")
    let splitFolders = try SplitName.all.filter { try ImagePreparer.subfolders(of: root + "/images").contains($0) }
    let splits: [(name: String, images: String, labels: String)] =
      splitFolders.isEmpty
      ? [("train", root + "/images", root + "/labels")]
      : splitFolders.map { ($0, root + "/images/" + $0, root + "/labels/" + $0) }
    var samples: [(split: String, files: [(image: String, boxes: [Box])])] = []
    var names = try classNames ?? readClassNames()
    var maxClass = -1
    for split in splits {
      let images = try ImagePreparer.imageFiles(in: split.images)
      var files: [(String, [Box])] = []
      for image in images {
        let stem = ((image as NSString).lastPathComponent as NSString).deletingPathExtension
        let boxes = try parseLabels(split.labels + "/" + stem + ".txt", classCount: names?.count)
        maxClass = max(maxClass, boxes.map(\.classIndex).max() ?? -1)
        files.append((image, boxes))
      }
      if !files.isEmpty { samples.append((split.name, files)) }
    }
    guard let first = samples.first?.files.first else {
      throw DatasetError.emptyFolder(path: root + "/images", expected: "PNG or JPEG images")
    }
    if names == nil { names = (0...max(0, maxClass)).map { "class\($0)" } }
    var preparer = ImagePreparer(options: options)
    let size = try preparer.outputSize(firstImage: first.image)
    let writer = try DatasetWriter(
      path: path, kind: .detection, classNames: names ?? [], source: "imported:yolo \(root)",
      imageSize: (size.height, size.width, options.channels), compression: options.compression)
    for (split, files) in samples {
      try writer.beginSplit(split, count: files.count)
      for (file, boxes) in files {
        let (image, mapped) = try preparer.load(file, boxes: boxes)
        try writer.append(image, boxes: mapped.compactMap { $0.clipped() })
      }
      try writer.endSplit()
    }
    return try writer.finish()
  }

  private func readClassNames() throws -> [String]? {
    let path = root + "/classes.txt"
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let names = String(decoding: data, as: UTF8.self).split(separator: "\n")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !names.isEmpty else { throw DatasetError.invalidFile(file: path, reason: "it lists no class names") }
    return names
  }

  /// Parses one label file; a missing file means no boxes.
  func parseLabels(_ path: String, classCount: Int?) throws -> [Box] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    var boxes: [Box] = []
    for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty { continue }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count == 5, let label = Int(fields[0]), let values = Optional(fields[1...].compactMap { Float($0) }),
        values.count == 4
      else {
        throw DatasetError.badLine(
          file: path, line: index + 1, reason: "expected 'class cx cy w h' (an integer and four numbers), got '\(line)'"
        )
      }
      guard label >= 0 else {
        throw DatasetError.badLine(file: path, line: index + 1, reason: "class \(label) is negative")
      }
      guard label < (classCount ?? Int.max) else {
        throw DatasetError.labelOutOfRange(file: path, line: index + 1, label: label, classCount: classCount ?? 0)
      }
      let box = Box(classIndex: label, cx: values[0], cy: values[1], w: values[2], h: values[3])
      guard box.isInsideImage else { throw DatasetError.boxOutsideImage(file: path, line: index + 1, box: line) }
      boxes.append(box)
    }
    return boxes
  }
}
