/// Why detection inputs were rejected; each description is a sentence naming the item.
///
/// Results are numbered by their 0-based position in the results array, annotations by their
/// `id`, so a message can be traced back to the file.
public enum DetectionInputError: Error, Equatable, CustomStringConvertible {
  /// A JSON document could not be decoded; `detail` names the JSON path.
  case malformedJSON(source: String, detail: String)
  /// Two images share an id.
  case duplicateImageId(Int)
  /// Two categories share an id.
  case duplicateCategoryId(Int)
  /// Two annotations share an id.
  case duplicateAnnotationId(Int)
  /// An annotation refers to an image id that is not in `images`.
  case annotationUnknownImage(annotationId: Int, imageId: Int)
  /// An annotation refers to a category id that is not in `categories`.
  case annotationUnknownCategory(annotationId: Int, imageId: Int, categoryId: Int)
  /// An annotation's `bbox` is unusable.
  case annotationInvalidBox(annotationId: Int, imageId: Int, problem: BoxProblem)
  /// An annotation's `area` is negative or not finite.
  case annotationInvalidArea(annotationId: Int, imageId: Int, area: Double)
  /// A result refers to an image id that is not in the ground truth.
  case resultUnknownImage(index: Int, imageId: Int)
  /// A result refers to a category id that is not in the ground truth.
  case resultUnknownCategory(index: Int, imageId: Int, categoryId: Int)
  /// A result's `bbox` is unusable.
  case resultInvalidBox(index: Int, imageId: Int, problem: BoxProblem)
  /// A result's score is NaN or infinite.
  case resultInvalidScore(index: Int, imageId: Int, score: Double)
  /// The evaluation parameters are unusable (no IoU thresholds, a threshold outside 0...1, …).
  case invalidParameter(String)

  /// What is wrong with a `bbox` array.
  public enum BoxProblem: Equatable, Sendable, CustomStringConvertible {
    /// The array does not have four numbers.
    case wrongCount(Int)
    /// The width is negative.
    case negativeWidth(Double)
    /// The height is negative.
    case negativeHeight(Double)
    /// A coordinate is NaN or infinite.
    case nonFinite([Double])

    /// A phrase such as "bbox has negative width -3.0".
    public var description: String {
      switch self {
      case .wrongCount(let n): return "bbox has \(n) numbers instead of 4 ([x, y, width, height])"
      case .negativeWidth(let w): return "bbox has negative width \(w)"
      case .negativeHeight(let h): return "bbox has negative height \(h)"
      case .nonFinite(let values): return "bbox \(values) has a NaN or infinite coordinate"
      }
    }
  }

  /// A sentence naming the offending item and, where useful, the fix.
  public var description: String {
    switch self {
    case .malformedJSON(let source, let detail):
      return "\(source): \(detail)."
    case .duplicateImageId(let id):
      return "image id \(id) appears more than once in the ground truth; image ids must be unique."
    case .duplicateCategoryId(let id):
      return
        "category id \(id) appears more than once in the ground truth; category ids must be unique."
    case .duplicateAnnotationId(let id):
      return
        "annotation id \(id) appears more than once in the ground truth; annotation ids must be unique."
    case .annotationUnknownImage(let a, let i):
      return "annotation \(a) (image \(i)): image \(i) is not listed in the ground truth's images."
    case .annotationUnknownCategory(let a, let i, let c):
      return
        "annotation \(a) (image \(i)): category \(c) is not listed in the ground truth's categories."
    case .annotationInvalidBox(let a, let i, let problem):
      return "annotation \(a) (image \(i)): \(problem)."
    case .annotationInvalidArea(let a, let i, let area):
      return "annotation \(a) (image \(i)): area \(area) must be a finite number ≥ 0."
    case .resultUnknownImage(let n, let i):
      return
        "result \(n) (image \(i)): image \(i) is not in the ground truth; results must refer to its images."
    case .resultUnknownCategory(let n, let i, let c):
      return "result \(n) (image \(i)): category \(c) is not in the ground truth's categories."
    case .resultInvalidBox(let n, let i, let problem):
      return "result \(n) (image \(i)): \(problem)."
    case .resultInvalidScore(let n, let i, let score):
      return "result \(n) (image \(i)): score is \(score); scores must be finite numbers."
    case .invalidParameter(let text):
      return "\(text)."
    }
  }
}

extension DetectionInputError.BoxProblem {
  /// Checks a COCO `[x, y, width, height]` array; `nil` when it is usable.
  static func check(_ bbox: [Double]) -> Self? {
    guard bbox.count == 4 else { return .wrongCount(bbox.count) }
    guard bbox.allSatisfy(\.isFinite) else { return .nonFinite(bbox) }
    if bbox[2] < 0 { return .negativeWidth(bbox[2]) }
    if bbox[3] < 0 { return .negativeHeight(bbox[3]) }
    return nil
  }
}
