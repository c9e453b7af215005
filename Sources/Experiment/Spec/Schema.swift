import Support

/// A small schema language for experiment files. One description drives three things:
/// validation (every problem with its JSON path), defaults (the resolved experiment) and the
/// JSON Schema that `workbench schema` prints for editors.
public indirect enum Schema: Sendable {
  case object(fields: [Field], doc: String)
  /// A JSON number; `integer` requires a whole number.
  case number(min: Double?, max: Double?, exclusiveMin: Bool, integer: Bool, doc: String)
  case string(choices: [String]?, doc: String)
  case bool(doc: String)
  case array(of: Schema, minItems: Int, doc: String)
  /// An object with free keys (e.g. KPI gates) whose values follow one schema.
  case map(of: Schema, doc: String)
  /// A section the format knows but this version rejects (later pipeline stages).
  case unsupported(reason: String)

  /// A field of an object: its schema, and either a default or `required`.
  public struct Field: Sendable {
    public var name: String
    public var schema: Schema
    public var defaultValue: JSONValue?
    public var required: Bool
    /// An optional section: absent means "not wanted" (e.g. a deployment target), so its
    /// fields' defaults are filled in only when the section is written.
    public var optional: Bool

    public init(
      _ name: String, _ schema: Schema, default value: JSONValue? = nil, required: Bool = false, optional: Bool = false
    ) {
      self.name = name; self.schema = schema; self.defaultValue = value; self.required = required
      self.optional = optional
    }
  }

  static func int(min: Double? = nil, max: Double? = nil, _ doc: String) -> Schema {
    .number(min: min, max: max, exclusiveMin: false, integer: true, doc: doc)
  }
  static func positive(_ doc: String) -> Schema {
    .number(min: 0, max: nil, exclusiveMin: true, integer: false, doc: doc)
  }
  static func fraction(_ doc: String) -> Schema {
    .number(min: 0, max: 1, exclusiveMin: false, integer: false, doc: doc)
  }
  static func choice(_ choices: [String], _ doc: String) -> Schema { .string(choices: choices, doc: doc) }

  /// Checks `value`, returning every problem found (not just the first).
  public func validate(_ value: JSONValue, path: String = "") -> [SpecIssue] {
    func issue(_ m: String) -> [SpecIssue] { [SpecIssue(path: path, message: m)] }
    switch self {
    case .unsupported(let reason):
      return issue(reason)
    case .object(let fields, _):
      guard case .object(let o) = value else { return issue("expected an object, got \(value.brief)") }
      var out: [SpecIssue] = []
      let names = fields.map(\.name)
      for key in o.keys.sorted() where !names.contains(key) {
        let sub = path.isEmpty ? key : "\(path).\(key)"
        if let s = Suggestion.closest(to: key, in: names) {
          out.append(SpecIssue(path: sub, message: "unknown key; did you mean `\(s)`?"))
        } else {
          out.append(SpecIssue(path: sub, message: "unknown key; expected one of \(names.joined(separator: ", "))"))
        }
      }
      for f in fields {
        let sub = path.isEmpty ? f.name : "\(path).\(f.name)"
        if let v = o[f.name] {
          out += f.schema.validate(v, path: sub)
        } else if f.required {
          out.append(SpecIssue(path: sub, message: "missing; \(f.schema.expectation)"))
        }
      }
      return out
    case .number(let lo, let hi, let exclusive, let integer, _):
      guard case .number(let n) = value, n.isFinite, !(integer && n.rounded() != n),
        lo.map({ exclusive ? n > $0 : n >= $0 }) ?? true, hi.map({ n <= $0 }) ?? true
      else { return issue("\(expectation), got \(value.brief)") }
      return []
    case .string(let choices, _):
      guard case .string(let s) = value else { return issue("\(expectation), got \(value.brief)") }
      if let choices, !choices.contains(s) {
        let hint = Suggestion.closest(to: s, in: choices).map { "; did you mean \"\($0)\"?" } ?? ""
        return issue(
          "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \(value.brief)\(hint)")
      }
      return []
    case .bool:
      if case .bool = value { return [] }
      return issue("expected true or false, got \(value.brief)")
    case .array(let item, let minItems, _):
      guard case .array(let a) = value else { return issue("expected an array, got \(value.brief)") }
      var out = a.count < minItems ? issue("expected at least \(minItems) item(s), got \(a.count)") : []
      for (i, v) in a.enumerated() { out += item.validate(v, path: "\(path)[\(i)]") }
      return out
    case .map(let item, _):
      guard case .object(let o) = value else { return issue("expected an object, got \(value.brief)") }
      return o.keys.sorted().flatMap { item.validate(o[$0] ?? .null, path: path.isEmpty ? $0 : "\(path).\($0)") }
    }
  }

  /// `value` with every missing field that has a default filled in (recursively).
  public func resolve(_ value: JSONValue?) -> JSONValue? {
    switch self {
    case .object(let fields, _):
      var o = value?.objectValue ?? [:]
      if value == nil && !fields.contains(where: { $0.defaultValue != nil || $0.schema.hasDefaults }) { return nil }
      for f in fields {
        if let v = o[f.name] {
          o[f.name] = f.schema.resolve(v) ?? v
        } else if let d = f.defaultValue {
          o[f.name] = f.schema.resolve(d) ?? d
        } else if f.schema.hasDefaults, !f.optional, let r = f.schema.resolve(nil) {
          o[f.name] = r
        }
      }
      return .object(o)
    case .array(let item, _, _):
      guard case .array(let a)? = value else { return value }
      return .array(a.map { item.resolve($0) ?? $0 })
    default:
      return value
    }
  }

  var hasDefaults: Bool {
    if case .object(let fields, _) = self { return fields.contains { $0.defaultValue != nil || $0.schema.hasDefaults } }
    return false
  }

  /// What a valid value looks like, as a phrase for messages.
  var expectation: String {
    switch self {
    case .number(let lo, let hi, let exclusive, let integer, _):
      let kind = integer ? "an integer" : "a number"
      switch (lo, hi) {
      case let (l?, h?): return "expected \(kind) in \(Self.fmt(l))…\(Self.fmt(h))"
      case let (l?, nil): return "expected \(kind) \(exclusive ? ">" : ">=") \(Self.fmt(l))"
      case let (nil, h?): return "expected \(kind) <= \(Self.fmt(h))"
      default: return "expected \(kind)"
      }
    case .string(let choices, _):
      return choices.map { "expected one of \($0.map { "\"\($0)\"" }.joined(separator: ", "))" } ?? "expected a string"
    case .bool: return "expected true or false"
    case .object: return "expected an object"
    case .array: return "expected an array"
    case .map: return "expected an object"
    case .unsupported(let reason): return reason
    }
  }

  static func fmt(_ d: Double) -> String { d.rounded() == d ? String(Int(d)) : "\(d)" }
}

extension Schema {
  /// `value` with the field names of every object this schema describes turned from the file's
  /// snake_case into Swift's camelCase, for decoding into the typed settings. Keys of `map`s
  /// (gate names such as `map50_95`) are data, not field names, and stay as written.
  func camelCased(_ value: JSONValue) -> JSONValue {
    switch (self, value) {
    case (.object(let fields, _), .object(let o)):
      var out: [String: JSONValue] = [:]
      for (key, v) in o {
        let sub = fields.first { $0.name == key }?.schema
        out[Self.camelCase(key)] = sub.map { $0.camelCased(v) } ?? v
      }
      return .object(out)
    case (.array(let item, _, _), .array(let a)):
      return .array(a.map { item.camelCased($0) })
    default:
      return value
    }
  }

  static func camelCase(_ key: String) -> String {
    let parts = key.split(separator: "_", omittingEmptySubsequences: true)
    guard let first = parts.first else { return key }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }
}
