import Support

extension Schema {
  /// This schema as JSON Schema (draft 2020-12), for editor completion and checking.
  public func jsonSchema() -> JSONValue {
    switch self {
    case .object(let fields, let doc):
      var props: [String: JSONValue] = [:]
      for f in fields {
        var p = f.schema.jsonSchema().objectValue ?? [:]
        if let d = f.defaultValue { p["default"] = d }
        props[f.name] = .object(p)
      }
      let required = fields.filter(\.required).map { JSONValue.string($0.name) }
      var o: [String: JSONValue] = [
        "type": "object", "description": .string(doc), "properties": .object(props), "additionalProperties": false,
      ]
      if !required.isEmpty { o["required"] = .array(required) }
      return .object(o)
    case .number(let lo, let hi, let exclusive, let integer, let doc):
      var o: [String: JSONValue] = ["type": .string(integer ? "integer" : "number"), "description": .string(doc)]
      if let lo { o[exclusive ? "exclusiveMinimum" : "minimum"] = .number(lo) }
      if let hi { o["maximum"] = .number(hi) }
      return .object(o)
    case .string(let choices, let doc):
      var o: [String: JSONValue] = ["type": "string", "description": .string(doc)]
      if let choices { o["enum"] = .array(choices.map(JSONValue.string)) }
      return .object(o)
    case .bool(let doc):
      return .object(["type": "boolean", "description": .string(doc)])
    case .array(let item, let minItems, let doc):
      return .object([
        "type": "array", "items": item.jsonSchema(), "minItems": .number(Double(minItems)), "description": .string(doc),
      ])
    case .map(let item, let doc):
      return .object(["type": "object", "additionalProperties": item.jsonSchema(), "description": .string(doc)])
    case .unsupported(let reason):
      return .object(["not": .object([:]), "description": .string(reason)])
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}
