/// Validated, indexed detection inputs: the form every matching protocol works on.
///
/// Images and categories are sorted by id (as pycocotools sorts `imgIds` and `catIds`), and
/// ground truth and detections are kept in file order, because COCOeval's tie-breaking between
/// equal scores depends on both orders. Boxes live in flat arrays so that evaluating millions
/// of detections stays fast.
public struct DetectionDataset: Sendable {
  /// Image ids, ascending.
  public let imageIds: [Int]
  /// Categories, ascending by id.
  public let categories: [COCOCategory]
  /// Ground-truth annotations in file order.
  let gtId: [Int]
  let gtImage: [Int32]  // index into imageIds
  let gtCategory: [Int32]  // index into categories
  let gtBox: [COCOBox]
  let gtArea: [Double]
  let gtCrowd: [Bool]
  let gtIgnoreFlag: [Bool]
  /// Detections in file order.
  let dtImage: [Int32]
  let dtCategory: [Int32]
  let dtBox: [COCOBox]
  let dtScore: [Double]

  /// Number of ground-truth boxes.
  public var groundTruthCount: Int { gtId.count }
  /// Number of detections.
  public var detectionCount: Int { dtScore.count }

  /// Validates a COCO ground-truth file and a results list and indexes them.
  ///
  /// - Throws: ``DetectionInputError`` for duplicate ids, references to unknown images or
  ///   categories, malformed or negative-size boxes, negative areas and NaN or infinite scores.
  public init(groundTruth: COCOGroundTruth, results: [COCOResult]) throws {
    let imageIds = groundTruth.images.map(\.id).sorted()
    for k in imageIds.indices.dropFirst() where imageIds[k] == imageIds[k - 1] {
      throw DetectionInputError.duplicateImageId(imageIds[k])
    }
    let categories = groundTruth.categories.sorted { $0.id < $1.id }
    for k in categories.indices.dropFirst() where categories[k].id == categories[k - 1].id {
      throw DetectionInputError.duplicateCategoryId(categories[k].id)
    }
    let imageIndex = Dictionary(uniqueKeysWithValues: imageIds.enumerated().map { ($1, $0) })
    let categoryIndex = Dictionary(
      uniqueKeysWithValues: categories.enumerated().map { ($1.id, $0) })

    var seenAnnotations = Set<Int>()
    var gtImage: [Int32] = []
    var gtCategory: [Int32] = []
    var gtBox: [COCOBox] = []
    var gtArea: [Double] = []
    for a in groundTruth.annotations {
      guard seenAnnotations.insert(a.id).inserted else {
        throw DetectionInputError.duplicateAnnotationId(a.id)
      }
      guard let i = imageIndex[a.imageId] else {
        throw DetectionInputError.annotationUnknownImage(annotationId: a.id, imageId: a.imageId)
      }
      guard let c = categoryIndex[a.categoryId] else {
        throw DetectionInputError.annotationUnknownCategory(
          annotationId: a.id, imageId: a.imageId, categoryId: a.categoryId)
      }
      if let problem = DetectionInputError.BoxProblem.check(a.bbox) {
        throw DetectionInputError.annotationInvalidBox(
          annotationId: a.id, imageId: a.imageId, problem: problem)
      }
      let box = COCOBox(x: a.bbox[0], y: a.bbox[1], width: a.bbox[2], height: a.bbox[3])
      let area = a.area ?? box.area
      guard area.isFinite, area >= 0 else {
        throw DetectionInputError.annotationInvalidArea(
          annotationId: a.id, imageId: a.imageId, area: area)
      }
      gtImage.append(Int32(i))
      gtCategory.append(Int32(c))
      gtBox.append(box)
      gtArea.append(area)
    }

    var dtImage: [Int32] = []
    var dtCategory: [Int32] = []
    var dtBox: [COCOBox] = []
    var dtScore: [Double] = []
    dtImage.reserveCapacity(results.count)
    dtCategory.reserveCapacity(results.count)
    dtBox.reserveCapacity(results.count)
    dtScore.reserveCapacity(results.count)
    for (n, r) in results.enumerated() {
      guard let i = imageIndex[r.imageId] else {
        throw DetectionInputError.resultUnknownImage(index: n, imageId: r.imageId)
      }
      guard let c = categoryIndex[r.categoryId] else {
        throw DetectionInputError.resultUnknownCategory(
          index: n, imageId: r.imageId, categoryId: r.categoryId)
      }
      if let problem = DetectionInputError.BoxProblem.check(r.bbox) {
        throw DetectionInputError.resultInvalidBox(index: n, imageId: r.imageId, problem: problem)
      }
      guard r.score.isFinite else {
        throw DetectionInputError.resultInvalidScore(index: n, imageId: r.imageId, score: r.score)
      }
      dtImage.append(Int32(i))
      dtCategory.append(Int32(c))
      dtBox.append(COCOBox(x: r.bbox[0], y: r.bbox[1], width: r.bbox[2], height: r.bbox[3]))
      dtScore.append(r.score)
    }

    self.imageIds = imageIds
    self.categories = categories
    self.gtId = groundTruth.annotations.map(\.id)
    self.gtImage = gtImage
    self.gtCategory = gtCategory
    self.gtBox = gtBox
    self.gtArea = gtArea
    self.gtCrowd = groundTruth.annotations.map(\.iscrowd)
    self.gtIgnoreFlag = groundTruth.annotations.map(\.ignore)
    self.dtImage = dtImage
    self.dtCategory = dtCategory
    self.dtBox = dtBox
    self.dtScore = dtScore
  }
}
