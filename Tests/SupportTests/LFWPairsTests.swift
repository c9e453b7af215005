import Foundation
import Support
import XCTest

final class LFWPairsTests: XCTestCase {
  let sample = """
    2\t2
    Abel_Pacheco\t1\t4
    Akhmed_Zakayev\t1\t3
    Abdel_Madi_Shabneh\t1\tDean_Barker\t1
    Abdel_Madi_Shabneh\t1\tGiancarlo_Fisichella\t1
    Zico\t2\t3
    Zoe_Ball\t1\t2
    Zach_Pillar\t1\tZhang_Ziyi\t3
    Zico\t12\tZoe_Ball\t1

    """

  func testParsesFoldsAndKeys() throws {
    let pairs = try LFWPairs.parse(sample)
    XCTAssertEqual(pairs.folds, 2)
    XCTAssertEqual(pairs.pairsPerFold, 2)
    XCTAssertEqual(pairs.pairs.count, 8)
    XCTAssertEqual(
      pairs.pairs[0],
      LFWPairs.Pair(
        first: "Abel_Pacheco_0001", second: "Abel_Pacheco_0004", isMatch: true, fold: 0, line: 2))
    XCTAssertEqual(pairs.pairs[2].second, "Dean_Barker_0001")
    XCTAssertFalse(pairs.pairs[2].isMatch)
    XCTAssertEqual(pairs.pairs.map(\.fold), [0, 0, 0, 0, 1, 1, 1, 1])
    XCTAssertEqual(pairs.pairs[7].first, "Zico_0012")
    XCTAssertEqual(try LFWPairs.parse("1\nA 1 2\nA 1 B 2\n").folds, 1)  // View 1 header
  }

  func testErrorsNameTheLine() {
    func message(_ text: String) -> String {
      do {
        _ = try LFWPairs.parse(text)
        return "no error"
      } catch { return "\(error)" }
    }
    XCTAssertEqual(
      message("ten 300\n"),
      "pairs file line 1: the header must be 'sets pairsPerSet' (e.g. '10 300') or 'pairs'.")
    XCTAssertEqual(
      message("1 1\nA 1 2\n"),
      "pairs file has 1 pair lines, but its header (1 sets of 1 matched and 1 mismatched pairs) promises 2."
    )
    XCTAssertEqual(
      message("1 1\nA 1 B 2\nA 1 2\n"),
      "pairs file line 2 (set 1): expected a matched pair 'name n1 n2' but found 4 fields.")
    XCTAssertEqual(
      message("1 1\nA 1 2\nA x B 2\n"),
      "pairs file line 3: image number 'x' is not a positive integer.")
  }

  /// Names and numbers are recovered from the keys, and the writer's canonical text reads back
  /// to the same pairs (what the faces generator writes and the LFW importer reads).
  func testNamesNumbersAndStrictWriterRoundTrip() throws {
    let pairs = LFWPairs(
      folds: 1, pairsPerFold: 1,
      pairs: [
        LFWPairs.Pair(name1: "Ann_Lee", number1: 2, name2: "Ann_Lee", number2: 12345, fold: 0),
        LFWPairs.Pair(name1: "Bo", number1: 1, name2: "Cy_Diaz", number2: 3, fold: 0),
      ])
    XCTAssertEqual(pairs.pairs[0].first, "Ann_Lee_0002")
    XCTAssertEqual(pairs.pairs[0].second, "Ann_Lee_12345")
    XCTAssertTrue(pairs.pairs[0].isMatch)
    XCTAssertFalse(pairs.pairs[1].isMatch)
    XCTAssertEqual([pairs.pairs[1].name2, String(pairs.pairs[1].number2)], ["Cy_Diaz", "3"])
    XCTAssertEqual(pairs.text, "1\t1\nAnn_Lee\t2\t12345\nBo\t1\tCy_Diaz\t3\n")
    let back = try LFWPairs.parse(pairs.text)
    XCTAssertEqual(back.pairs.map(\.first), pairs.pairs.map(\.first))
    XCTAssertEqual(back.pairs.map(\.second), pairs.pairs.map(\.second))
    XCTAssertEqual(back.pairs.map(\.isMatch), [true, false])
    XCTAssertEqual(back.pairs.map(\.line), [2, 3])
  }

  /// The reader accepts other tools' spacing (spaces, CRLF, blank lines) and names the file in errors.
  func testTolerantReaderAndFileErrors() throws {
    let pairs = try LFWPairs.parse("1 1\r\n\r\nA  1 2\r\nA 1\tB 2\r\n")
    XCTAssertEqual(pairs.pairs.map(\.second), ["A_0002", "B_0002"])
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lfw-pairs-\(getpid()).txt").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try LFWPairs(folds: 2, pairsPerFold: 1, pairs: []).write(to: path)
    XCTAssertThrowsError(try LFWPairs(contentsOf: path)) {
      XCTAssertEqual(
        "\($0)",
        "\(path): pairs file has 0 pair lines, but its header (2 sets of 1 matched and 1 mismatched pairs) promises 4.")
    }
    XCTAssertThrowsError(try LFWPairs(contentsOf: path + ".missing")) {
      XCTAssertEqual($0 as? LFWPairsError, .unreadable(path: path + ".missing"))
    }
  }
}
