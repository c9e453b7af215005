import Support

extension SweepSchema {
  /// The sweep format as JSON Schema (draft 2020-12). A `space` entry is a list of values or an
  /// object with exactly one of `choice`, `uniform`, `log_uniform`.
  public static func jsonSchema() -> JSONValue {
    guard case .object(var s) = root.jsonSchema(), case .object(var props)? = s["properties"],
      case .object(var space)? = props["space"]
    else { return root.jsonSchema() }
    func one(_ key: String, _ items: JSONValue, exactly: Int?) -> JSONValue {
      var array: [String: JSONValue] = ["type": "array", "items": items, "minItems": .number(Double(exactly ?? 1))]
      if let exactly { array["maxItems"] = .number(Double(exactly)) }
      return .object([
        "type": "object", "properties": .object([key: .object(array)]), "required": .array([.string(key)]),
        "additionalProperties": false,
      ])
    }
    space["additionalProperties"] = .object([
      "oneOf": .array([
        .object(["type": "array", "minItems": 1, "description": "values (grid) or choices (random)"]),
        one("choice", .object([:]), exactly: nil),
        one("uniform", .object(["type": "number"]), exactly: 2),
        one("log_uniform", .object(["type": "number", "exclusiveMinimum": 0]), exactly: 2),
      ])
    ])
    props["space"] = .object(space)
    s["properties"] = .object(props)
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["title"] = .string("Workbench sweep, version \(version)")
    return .object(s)
  }
}
