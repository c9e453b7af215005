/// What a dataset's annotations describe; stored in the `kind` attribute.
public enum DatasetKind: String, Sendable, Codable, CaseIterable {
  /// One class label per image (`labels`).
  case classification
  /// Boxes per image (`boxes`, `box_offsets`).
  case detection
  /// One identity per image (`identities`, `names`), for face verification.
  case identity
}

/// The split names of format v1, in their canonical order.
public enum SplitName {
  public static let all = ["train", "val", "test"]
}
