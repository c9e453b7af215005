import Foundation
import Geometry
import Images
import Support

/// Imports COCO detection annotations (`instances_*.json`) into a detection dataset.
///
/// Categories become classes in order of category id; `bbox` (`[x, y, w, h]` in pixels) becomes
/// a normalised box. Crowd annotations (`iscrowd: 1`) are skipped, as in detection training.
/// Images without annotations are kept as background images.
public struct COCOImporter {
  /// The annotation JSON file and the folder its `file_name`s are relative to.
  public var annotations: String
  public var imageFolder: String
  /// The split to write (train, val or test).
  public var split: String
  public var options: ImportOptions

  /// Creates an importer.
  public init(
    annotations: String, imageFolder: String, split: String = "train", options: ImportOptions = ImportOptions()
  ) {
    self.annotations = annotations
    self.imageFolder = imageFolder
    self.split = split
    self.options = options
  }

  struct File: Decodable {
    struct Image: Decodable {
      var id: Int
      var file_name: String
      var width: Int?
      var height: Int?
    }
    struct Annotation: Decodable {
      var id: Int?
      var image_id: Int
      var category_id: Int
      var bbox: [Double]
      var iscrowd: Int?
    }
    struct Category: Decodable {
      var id: Int
      var name: String
    }
    var images: [Image]
    var annotations: [Annotation]
    var categories: [Category]
  }

  /// Writes the dataset to `path` atomically and returns its content hash.
  /// - Throws: ``DatasetError`` naming the JSON file (and annotation) or image at fault.
  @discardableResult
  public func write(to path: String) throws -> String {
    try options.validate()
    let data = try FileSystem.read(annotations, "the COCO annotations file")
    let coco: File
    do {
      coco = try JSONDecoder().decode(File.self, from: data)
    } catch {
      throw DatasetError.invalidFile(
        file: annotations, reason: "it is not COCO detection JSON (\(Self.describe(error)))")
    }
    guard !coco.images.isEmpty else {
      throw DatasetError.invalidFile(file: annotations, reason: "it lists no images")
    }
    let categories = coco.categories.sorted { $0.id < $1.id }
    let classOf = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1.id, $0) })
    var boxesOf: [Int: [(annotation: File.Annotation, label: Int)]] = [:]
    let imageIDs = Set(coco.images.map(\.id))
    for annotation in coco.annotations where annotation.iscrowd != 1 {
      let name = "annotation \(annotation.id.map(String.init) ?? "?")"
      guard imageIDs.contains(annotation.image_id) else {
        throw DatasetError.invalidFile(
          file: annotations, reason: "\(name) refers to image id \(annotation.image_id), which is not listed")
      }
      guard let label = classOf[annotation.category_id] else {
        throw DatasetError.invalidFile(
          file: annotations, reason: "\(name) has category_id \(annotation.category_id), which is not in 'categories'")
      }
      guard annotation.bbox.count == 4 else {
        throw DatasetError.invalidFile(
          file: annotations, reason: "\(name) has a bbox of \(annotation.bbox.count) numbers, expected [x, y, w, h]")
      }
      boxesOf[annotation.image_id, default: []].append((annotation, label))
    }
    let images = coco.images.sorted { $0.id < $1.id }
    for image in images where !FileManager.default.fileExists(atPath: imageFolder + "/" + image.file_name) {
      throw DatasetError.missingFile(file: imageFolder + "/" + image.file_name, referencedFrom: annotations, line: nil)
    }
    var preparer = ImagePreparer(options: options)
    let size = try preparer.outputSize(firstImage: imageFolder + "/" + images[0].file_name)
    let writer = try DatasetWriter(
      path: path, kind: .detection, classNames: categories.map(\.name), source: "imported:coco \(annotations)",
      imageSize: (size.height, size.width, options.channels), compression: options.compression)
    try writer.beginSplit(split, count: images.count)
    for image in images {
      let file = imageFolder + "/" + image.file_name
      let (width, height) = try imageSize(image, file: file)
      let boxes = try (boxesOf[image.id] ?? []).map { entry -> Box in
        let b = entry.annotation.bbox
        let tolerance = 1.0
        guard b[2] > 0, b[3] > 0, b[0] >= -tolerance, b[1] >= -tolerance,
          b[0] + b[2] <= Double(width) + tolerance, b[1] + b[3] <= Double(height) + tolerance
        else {
          throw DatasetError.boxOutsideImage(
            file: annotations, line: nil,
            box:
              "\(b) of annotation \(entry.annotation.id.map(String.init) ?? "?") on '\(image.file_name)' (\(width)x\(height))"
          )
        }
        let box = Box(
          classIndex: entry.label, x0: Float(b[0]), y0: Float(b[1]), x1: Float(b[0] + b[2]), y1: Float(b[1] + b[3]),
          width: width, height: height)
        return box.clipped() ?? box
      }
      let (prepared, mapped) = try preparer.load(file, boxes: boxes)
      try writer.append(prepared, boxes: mapped.compactMap { $0.clipped() })
    }
    try writer.endSplit()
    return try writer.finish()
  }

  private func imageSize(_ image: File.Image, file: String) throws -> (Int, Int) {
    if let w = image.width, let h = image.height { return (w, h) }
    let decoded = try Image(contentsOfFile: file)
    return (decoded.width, decoded.height)
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "missing key '\(key.stringValue)' at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.dataCorrupted(let context):
      return context.debugDescription
    default:
      return "\(error)"
    }
  }
}
