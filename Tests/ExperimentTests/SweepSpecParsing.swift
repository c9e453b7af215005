import Foundation
import Support
import XCTest

@testable import Experiment

/// Parsing a sweep file from text, and the validation problems it reports, for the sweep-file
/// test classes.
protocol SweepSpecParsing {}

extension SweepSpecParsing {
  func spec(_ text: String, file: String = "/tmp/s.json") throws -> SweepSpec {
    try SweepLoader.parse(JSONValue.parse(Data(text.utf8), file: file), file: file)
  }

  /// Every problem the loader lists for `text` (empty when it is valid).
  func issues(_ text: String) -> [String] {
    do {
      _ = try spec(text)
      return []
    } catch SpecError.invalid(_, let found) {
      return found.map(\.description)
    } catch {
      return ["\(error)"]
    }
  }
}
