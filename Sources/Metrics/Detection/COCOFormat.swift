import Foundation

/// A COCO ground-truth file (`instances_*.json`): images, box annotations and categories.
///
/// Only the fields that box evaluation reads are decoded; anything else in the file (licenses,
/// segmentation polygons, …) is skipped. Field names follow the COCO format
/// (https://cocodataset.org/#format-data).
public struct COCOGroundTruth: Codable, Equatable, Sendable {
  /// The images of the test set; every result must refer to one of them.
  public var images: [COCOImage]
  /// The ground-truth boxes.
  public var annotations: [COCOAnnotation]
  /// The categories; their ids are the only valid `category_id` values.
  public var categories: [COCOCategory]

  /// Creates a ground-truth set from its three lists.
  public init(images: [COCOImage], annotations: [COCOAnnotation], categories: [COCOCategory]) {
    self.images = images
    self.annotations = annotations
    self.categories = categories
  }

  /// Decodes a COCO ground-truth JSON document.
  ///
  /// - Throws: ``DetectionInputError/malformedJSON(source:detail:)`` naming the JSON path that
  ///   failed to decode.
  public static func decode(from data: Data, source: String = "ground truth") throws -> Self {
    try decodeCOCOJSON(Self.self, from: data, source: source)
  }
}

/// One image entry of a COCO ground-truth file.
public struct COCOImage: Codable, Equatable, Sendable {
  /// The image id that annotations and results refer to.
  public var id: Int
  /// The file name, if present (`file_name`).
  public var fileName: String?
  /// Width in pixels, if present.
  public var width: Int?
  /// Height in pixels, if present.
  public var height: Int?

  /// Creates an image entry.
  public init(id: Int, fileName: String? = nil, width: Int? = nil, height: Int? = nil) {
    self.id = id
    self.fileName = fileName
    self.width = width
    self.height = height
  }

  enum CodingKeys: String, CodingKey {
    case id, width, height
    case fileName = "file_name"
  }
}

/// One category entry of a COCO ground-truth file.
public struct COCOCategory: Codable, Equatable, Sendable {
  /// The category id.
  public var id: Int
  /// The category name, used in reports.
  public var name: String

  /// Creates a category entry.
  public init(id: Int, name: String) {
    self.id = id
    self.name = name
  }
}

/// One ground-truth box of a COCO ground-truth file.
///
/// `area` defaults to `bbox` width × height when absent, and `iscrowd` to 0 (pycocotools needs
/// both fields and fails without them). `iscrowd` may be written as a number or a boolean.
/// `ignore` is kept for the VOC definitions (as "difficult"); pycocotools overwrites it with
/// `iscrowd`, so it has no effect under ``APDefinition/coco101``.
public struct COCOAnnotation: Codable, Equatable, Sendable {
  /// The annotation id (unique in the file).
  public var id: Int
  /// The image it belongs to (`image_id`).
  public var imageId: Int
  /// Its category (`category_id`).
  public var categoryId: Int
  /// `[x, y, width, height]` in pixels.
  public var bbox: [Double]
  /// The annotation's area (for COCO, the segmentation area); used only for area ranges.
  public var area: Double?
  /// Whether the box marks a crowd region.
  public var iscrowd: Bool
  /// Whether to ignore the box (VOC "difficult"); see the type's discussion.
  public var ignore: Bool

  /// Creates an annotation.
  public init(
    id: Int, imageId: Int, categoryId: Int, bbox: [Double], area: Double? = nil,
    iscrowd: Bool = false, ignore: Bool = false
  ) {
    self.id = id
    self.imageId = imageId
    self.categoryId = categoryId
    self.bbox = bbox
    self.area = area
    self.iscrowd = iscrowd
    self.ignore = ignore
  }

  enum CodingKeys: String, CodingKey {
    case id, bbox, area, iscrowd, ignore
    case imageId = "image_id"
    case categoryId = "category_id"
  }

  /// Decodes an annotation, accepting `iscrowd`/`ignore` as 0/1 or booleans.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(Int.self, forKey: .id)
    imageId = try c.decode(Int.self, forKey: .imageId)
    categoryId = try c.decode(Int.self, forKey: .categoryId)
    bbox = try c.decode([Double].self, forKey: .bbox)
    area = try c.decodeIfPresent(Double.self, forKey: .area)
    iscrowd = try Self.decodeFlag(c, .iscrowd)
    ignore = try Self.decodeFlag(c, .ignore)
  }

  /// Encodes with `iscrowd`/`ignore` as 0/1, as COCO files do.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(imageId, forKey: .imageId)
    try c.encode(categoryId, forKey: .categoryId)
    try c.encode(bbox, forKey: .bbox)
    try c.encodeIfPresent(area, forKey: .area)
    try c.encode(iscrowd ? 1 : 0, forKey: .iscrowd)
    if ignore { try c.encode(1, forKey: .ignore) }
  }

  private static func decodeFlag(
    _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
  ) throws -> Bool {
    if let flag = try? c.decodeIfPresent(Bool.self, forKey: key) { return flag }
    return try (c.decodeIfPresent(Int.self, forKey: key) ?? 0) != 0
  }
}

/// One detection of a COCO results file (a JSON array of these).
public struct COCOResult: Codable, Equatable, Sendable {
  /// The image the detection is on (`image_id`).
  public var imageId: Int
  /// The predicted category (`category_id`).
  public var categoryId: Int
  /// `[x, y, width, height]` in pixels.
  public var bbox: [Double]
  /// The detection's confidence; higher is more confident.
  public var score: Double

  /// Creates a result.
  public init(imageId: Int, categoryId: Int, bbox: [Double], score: Double) {
    self.imageId = imageId
    self.categoryId = categoryId
    self.bbox = bbox
    self.score = score
  }

  enum CodingKeys: String, CodingKey {
    case bbox, score
    case imageId = "image_id"
    case categoryId = "category_id"
  }

  /// Decodes a COCO results JSON array. Bare `NaN`/`Infinity` literals (as Python's `json`
  /// writes them) are accepted so that validation can name the offending result. The common
  /// shape is read by a fast scanner (about 10× `JSONDecoder`); anything unusual goes through
  /// `JSONDecoder`, which also produces the error messages.
  ///
  /// - Throws: ``DetectionInputError/malformedJSON(source:detail:)`` naming the JSON path.
  public static func decodeList(from data: Data, source: String = "results") throws -> [Self] {
    var scanner = COCOResultsScanner([UInt8](data))
    if let results = scanner.scan() { return results }
    return try decodeCOCOJSON([Self].self, from: data, source: source)
  }
}

/// Decodes JSON, mapping `DecodingError` to a ``DetectionInputError`` with a readable path.
func decodeCOCOJSON<T: Decodable>(_ type: T.Type, from data: Data, source: String) throws -> T {
  let decoder = JSONDecoder()
  decoder.allowsJSON5 = true  // accepts NaN / Infinity literals written by Python's json
  do {
    return try decoder.decode(type, from: data)
  } catch let error as DecodingError {
    throw DetectionInputError.malformedJSON(source: source, detail: describe(error))
  } catch {
    throw DetectionInputError.malformedJSON(source: source, detail: "\(error)")
  }
}

/// A one-sentence description of a decoding error with its JSON path (`annotations[3].bbox`).
func describe(_ error: DecodingError) -> String {
  func path(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text.isEmpty ? "the top level" : text
  }
  switch error {
  case .keyNotFound(let key, let context):
    let at = path(context.codingPath)
    return "missing key '\(key.stringValue)' at \(at)"
  case .typeMismatch(let type, let context):
    return "expected \(type) at \(path(context.codingPath)): \(context.debugDescription)"
  case .valueNotFound(let type, let context):
    return "expected \(type) at \(path(context.codingPath)) but found null"
  case .dataCorrupted(let context):
    return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
  @unknown default:
    return "\(error)"
  }
}
