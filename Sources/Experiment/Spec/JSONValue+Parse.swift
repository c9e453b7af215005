import Foundation
import Support

extension JSONValue {
  /// Parses JSON text; the error names the file.
  public static func parse(_ data: Data, file: String) throws -> JSONValue {
    do { return try JSONDecoder().decode(JSONValue.self, from: data) } catch {
      throw SpecError.unreadable(file: file, reason: JSONValue.describe(error))
    }
  }

  /// The decoder's own sentence for malformed JSON (line and column), not Swift's error dump.
  static func describe(_ error: Error) -> String {
    if case DecodingError.dataCorrupted(let ctx) = error {
      let underlying = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      return underlying ?? ctx.debugDescription
    }
    return "\(error)"
  }
}
