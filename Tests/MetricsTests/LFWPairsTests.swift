import XCTest

@testable import Metrics

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
      LFWPair(
        first: "Abel_Pacheco_0001", second: "Abel_Pacheco_0004", isSame: true, fold: 0, line: 2))
    XCTAssertEqual(pairs.pairs[2].second, "Dean_Barker_0001")
    XCTAssertFalse(pairs.pairs[2].isSame)
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

  func testMissingEmbeddingNamesKeyAndLine() throws {
    let pairs = try LFWPairs.parse("1 1\nA 1 2\nA 1 B 2\n")
    let table = try EmbeddingTable(["A_0001": [1, 0], "A_0002": [1, 0.1]])
    XCTAssertThrowsError(try VerificationEvaluator.evaluate(pairs: pairs, embeddings: table)) {
      XCTAssertEqual(
        "\($0)",
        "pairs file line 3: no embedding for key 'B_0002'; the embeddings file must contain every image of the pairs."
      )
    }
  }
}
