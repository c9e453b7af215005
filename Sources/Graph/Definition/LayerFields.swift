import Support

/// Typed access to one layer's JSON fields that produces ``DefinitionError``s naming the layer
/// and the field, and remembers which fields were read so unknown ones can be reported
/// (a misspelt `"filter"` is an error, not a silently ignored field).
struct LayerFields {
  let model: String
  let path: [Int]
  let object: [String: JSONValue]
  let classes: Int?
  private(set) var read: Set<String> = ["type", "name", "from", "output"]

  init(model: String, path: [Int], object: [String: JSONValue], classes: Int?) {
    self.model = model
    self.path = path
    self.object = object
    self.classes = classes
  }

  var type: String { object["type"]?.stringValue ?? "" }
  var name: String? { object["name"]?.stringValue }

  func error(_ field: String?, _ message: String) -> DefinitionError {
    DefinitionError(model: model, layerPath: path, layerName: name, field: field, message)
  }

  func has(_ field: String) -> Bool { object[field] != nil }

  /// Records `field` as known without reading it (e.g. a repeat block's `layers`).
  mutating func markRead(_ field: String) { read.insert(field) }

  /// A positive integer, or the string `"classes"` standing for the model's class count.
  mutating func count(_ field: String, default value: Int? = nil) throws -> Int {
    read.insert(field)
    guard let raw = object[field] else {
      if let value { return value }
      throw error(field, "is required (a positive integer).")
    }
    if raw.stringValue == "classes" {
      guard let classes else {
        throw error(field, "refers to \"classes\" but the definition has no top-level 'classes'.")
      }
      return classes
    }
    guard let v = raw.intValue, v > 0 else { throw error(field, "must be a positive integer, got \(raw).") }
    return v
  }

  /// A non-negative integer.
  mutating func int(_ field: String, default value: Int) throws -> Int {
    read.insert(field)
    guard let raw = object[field] else { return value }
    guard let v = raw.intValue, v >= 0 else { throw error(field, "must be a non-negative integer, got \(raw).") }
    return v
  }

  /// An integer or a `[height, width]` pair of positive (or, with `allowZero`, non-negative)
  /// integers.
  mutating func pair(_ field: String, default value: [Int]?, allowZero: Bool = false) throws -> [Int] {
    read.insert(field)
    guard let raw = object[field] else {
      if let value { return value }
      throw error(field, "is required (an integer or [height, width]).")
    }
    let ok: (Int) -> Bool = { allowZero ? $0 >= 0 : $0 > 0 }
    if let v = raw.intValue, ok(v) { return [v, v] }
    if let a = raw.arrayValue, a.count == 2, let h = a[0].intValue, let w = a[1].intValue, ok(h), ok(w) {
      return [h, w]
    }
    throw error(field, "must be \(allowZero ? "a non-negative" : "a positive") integer or [height, width], got \(raw).")
  }

  mutating func double(_ field: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
    read.insert(field)
    guard let raw = object[field] else { return value }
    guard let v = raw.doubleValue, range.contains(v) else {
      throw error(field, "must be a number in \(range.lowerBound)...\(range.upperBound), got \(raw).")
    }
    return v
  }

  mutating func bool(_ field: String, default value: Bool) throws -> Bool {
    read.insert(field)
    guard let raw = object[field] else { return value }
    guard let v = raw.boolValue else { throw error(field, "must be true or false, got \(raw).") }
    return v
  }

  mutating func string(_ field: String, default value: String, allowed: [String]) throws -> String {
    read.insert(field)
    guard let raw = object[field] else { return value }
    guard let v = raw.stringValue, allowed.contains(v) else {
      throw error(field, "must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), got \(raw).")
    }
    return v
  }

  mutating func ints(_ field: String) throws -> [Int] {
    read.insert(field)
    guard let a = object[field]?.arrayValue, !a.isEmpty else { throw error(field, "is required (a list of integers).") }
    let values = a.compactMap(\.intValue)
    guard values.count == a.count else {
      throw error(field, "must be a list of integers, got \(object[field] ?? .null).")
    }
    return values
  }

  /// Anchor sizes `[[w, h], …]` in input pixels.
  mutating func anchors(_ field: String) throws -> [[Double]] {
    read.insert(field)
    guard let a = object[field]?.arrayValue, !a.isEmpty else {
      throw error(field, "is required: a list of [width, height] anchor sizes in input pixels.")
    }
    return try a.map { item in
      guard let pair = item.arrayValue, pair.count == 2, let w = pair[0].doubleValue, let h = pair[1].doubleValue,
        w > 0, h > 0
      else {
        throw error(field, "must hold [width, height] pairs of positive numbers, got \(item).")
      }
      return [w, h]
    }
  }

  /// Throws for the first field that no reader asked for.
  func rejectUnknownFields() throws {
    if let unknown = object.keys.sorted().first(where: { !read.contains($0) }) {
      let known = read.subtracting(["type"]).sorted().joined(separator: ", ")
      throw error(unknown, "is not a field of a '\(type)' layer (known fields: \(known)).")
    }
  }
}
