import Foundation
import Geometry
import Images
import Support

/// Loads source images for an importer and brings them to the dataset's common size and
/// channel count, mapping boxes along.
struct ImagePreparer {
  let options: ImportOptions
  /// The output size, fixed by the options or by the first image loaded.
  private(set) var size: (width: Int, height: Int)?

  init(options: ImportOptions) {
    self.options = options
    if let w = options.width, let h = options.height { size = (w, h) }
  }

  /// The size the dataset will have, reading the first image if the options do not fix it.
  mutating func outputSize(firstImage path: String) throws -> (width: Int, height: Int) {
    if let size { return size }
    let image = try Image(contentsOfFile: path)
    size = (image.width, image.height)
    return (image.width, image.height)
  }

  /// Loads `path`, resizes it to the output size, converts channels, and maps `boxes`.
  func load(_ path: String, boxes: [Box] = []) throws -> (Image, [Box]) {
    guard let size else { preconditionFailure("ImagePreparer.load before outputSize") }
    var image = try Image(contentsOfFile: path)
    var mapped = boxes
    if (image.width, image.height) != (size.width, size.height) {
      guard options.width != nil else {
        throw DatasetError.invalidFile(
          file: path,
          reason: "it is \(image.width)x\(image.height) but earlier images are \(size.width)x\(size.height); "
            + "give a target size to resize them all")
      }
      if options.letterbox {
        let (canvas, placement) = image.letterboxed(width: size.width, height: size.height)
        image = canvas
        mapped = boxes.map {
          let m = placement.map(cx: Double($0.cx), cy: Double($0.cy), w: Double($0.w), h: Double($0.h))
          return Box(classIndex: $0.classIndex, cx: Float(m.cx), cy: Float(m.cy), w: Float(m.w), h: Float(m.h))
        }
      } else {
        image = image.resized(width: size.width, height: size.height)
      }
    }
    return (image.converted(toChannels: options.channels), mapped)
  }

  /// Image files directly inside `folder` (PNG and JPEG by extension), sorted by name.
  static func imageFiles(in folder: String) throws -> [String] {
    let names = try FileSystem.contents(ofFolder: folder, "the image folder")
    return names.filter { ["png", "jpg", "jpeg"].contains(($0 as NSString).pathExtension.lowercased()) }
      .sorted().map { folder + "/" + $0 }
  }

  /// Sub-folders of `folder`, sorted by name (hidden ones skipped).
  static func subfolders(of folder: String) throws -> [String] {
    try FileSystem.contents(ofFolder: folder).filter { name in
      var isDirectory: ObjCBool = false
      return !name.hasPrefix(".")
        && FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
        && isDirectory.boolValue
    }.sorted()
  }

  /// Throws ``DatasetError/emptyFolder(path:expected:)`` unless `folder` is a directory.
  static func requireFolder(_ folder: String, expected: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw DatasetError.invalidFile(file: folder, reason: "it is not a folder (expected \(expected))")
    }
  }
}
