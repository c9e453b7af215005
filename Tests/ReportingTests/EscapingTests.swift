import Foundation
import XCTest

@testable import Reporting

final class EscapingTests: XCTestCase {
  func testScriptInExperimentAndClassNamesIsEscapedEverywhere() throws {
    var report = try RunReport.load(from: Fixtures.url("run"))
    let evil = "<script>alert('x')</script>"
    report.experiment = .object(["name": .string("exp \(evil)"), "seed": .number(1)])
    report.data?.classNames[0] = evil
    report.detection?.categories[0].name = evil
    report.detection?.confusionMatrix.labels[0] = evil
    let document = report.document()
    let html = HTMLRenderer.render(document)
    XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    XCTAssertFalse(html.contains("<script>alert"))
    // The only script element is the table sorter.
    XCTAssertEqual(html.components(separatedBy: "<script>").count - 1, 1)
    // Outside fenced code blocks (where GitHub shows text literally), Markdown has no raw tag.
    let markdown = MarkdownRenderer.render(document)
    let prose = markdown.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      .joined()
    XCTAssertFalse(prose.contains("<script>alert"))
    XCTAssertTrue(prose.contains("&lt;script&gt;alert"))
    XCTAssertTrue(markdown.contains("```json\n{\n  \"name\": \"exp <script>alert('x')</script>\""))
  }

  func testMarkdownEscapesTablePipesAndEmphasis() {
    XCTAssertEqual(MarkdownRenderer.escape("a|b *c* <d>"), "a\\|b \\*c\\* &lt;d&gt;")
    XCTAssertEqual(MarkdownRenderer.codeSpan("x|y"), "`x\\|y`")
  }
}
