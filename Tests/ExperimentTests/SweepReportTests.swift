import Charts
import Foundation
import Support
import XCTest

@testable import Experiment

/// The sweep report on the hand-computed 2×3 grid of ``SweepImportanceTests``: importance table,
/// parallel coordinates, marginals, best trial and links in HTML and Markdown; the PNG figures;
/// `sweep status` progress counts.
final class SweepReportTests: XCTestCase {
  func testHTMLHasEverySection() throws {
    let r = SweepImportanceTests.grid()
    // (y, 5) has the largest sum and product: it dominates every other trial
    XCTAssertEqual(r.pareto, ["t5"])
    let html = SweepReportHTML.render(r)
    for part in [
      "<h2>Best trial per objective</h2>", "<h2>Pareto front</h2>", "<h2>Parallel coordinates</h2>",
      "<h2>Hyperparameter importance</h2>", "Exact main-effect variance decomposition over the complete grid of 6",
      // 3/17, 14/17 (sum); 12/82, 56/82 and the interaction 14/82 (product)
      ">17.6 %</td>", ">82.4 %</td>", ">14.6 %</td>", ">68.3 %</td>", ">17.1 %</td>", ">0.0 %</td>",
      "id=\"fig-parallel-coordinates\"", "id=\"fig-importance\"", "id=\"fig-marginal-2-2\"",
      "<a href=\"trials/t0/run/report.html\"><code>t0</code></a>", "table class=\"sortable\" id=\"trials\"",
      "table class=\"sortable\" id=\"importance\"",
    ] {
      XCTAssertTrue(html.contains(part), part)
    }
    XCTAssertEqual(html.components(separatedBy: "<figure id=\"fig-marginal-").count - 1, 4)
    XCTAssertTrue(html.contains("6 done, 0 running, 0 failed, 0 infeasible, 0 pending"))
  }

  func testMarkdownLinksFiguresAndTabulatesShares() throws {
    let md = SweepTable.markdown(SweepImportanceTests.grid())
    for part in [
      "![All trials: parameters and objectives](figures/parallel-coordinates.png)", "figures/importance.png",
      "| `p` | 17.6 % | 14.6 % |", "| `q` | 82.4 % | 68.3 % |", "| interactions and noise | 0.0 % | 17.1 % |",
      "figures/marginal-1-1.png", "[`t5`](trials/t5/run/report.md)",
    ] {
      XCTAssertTrue(md.contains(part), part)
    }
  }

  /// Value lists become categorical axes (strings without quotes), log-uniform ranges log axes,
  /// objectives to minimise inverted axes; the Pareto trials are highlighted.
  func testParallelCoordinatesAxes() throws {
    var trials: [SweepResults.Trial] = []
    for (i, (opt, lr)) in [("adam", 1e-3), ("sgd", 1e-2), ("adam", 1e-4)].enumerated() {
      trials.append(
        SweepImportanceTests.trial(i, ["o": .string(opt), "lr": .number(lr)], ["acc": Double(i), "ms": Double(3 - i)]))
    }
    var r = SweepResults(
      sweep: "s", sweepId: "id", base: "b.json", search: "random",
      objectives: [.init(metric: "acc", direction: .max), .init(metric: "ms", direction: .min)], constraints: [],
      trials: trials, pareto: [], best: [:],
      space: [
        .init(path: "o", kind: .values, values: [.string("sgd"), .string("adam")]),
        .init(path: "lr", kind: .logUniform),
      ])
    r.rank()
    let chart = try XCTUnwrap(SweepReportFigures.parallelChart(r))
    guard case .parallelCoordinates(let pc) = chart.content else { return XCTFail("not parallel coordinates") }
    XCTAssertEqual(pc.dimensions.map(\.name), ["o", "lr", "acc (max)", "ms (min)"])
    XCTAssertEqual(pc.dimensions[0].scale, .categorical(["sgd", "adam"]))
    XCTAssertEqual(pc.dimensions[0].values, [1, 0, 1])
    XCTAssertEqual(pc.dimensions[1].scale, .log)
    XCTAssertEqual(pc.dimensions.map(\.inverted), [false, false, false, true])
    // trial 2 has the highest acc and the lowest ms
    XCTAssertEqual(pc.highlighted, [false, false, true])
  }

  func testFiguresAreWrittenAsPNG() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-sweepfig-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    try SweepReportFigures.write(SweepImportanceTests.grid(), to: dir)
    for name in ["pareto", "parallel-coordinates", "importance", "marginal-1-1", "marginal-2-2"] {
      let data = try Data(contentsOf: dir.appendingPathComponent("figures/\(name).png"))
      XCTAssertEqual(Array(data.prefix(4)), [0x89, 0x50, 0x4E, 0x47], name)
    }
  }

  func testProgressCountsAndBestLines() {
    var r = SweepImportanceTests.grid(dropping: [0])
    r.trials[1].status = "running"
    r.trials[2].status = "infeasible"
    r.trials[3].status = "pending"
    r.trials[4].status = "interrupted"
    r.rank()
    let p = SweepProgress(r)
    XCTAssertEqual([p.done, p.running, p.failed, p.infeasible, p.pending], [1, 1, 2, 1, 1])
    XCTAssertEqual(p.line, "progress: 4/6 finished (1 done, 1 running, 2 failed, 1 infeasible, 1 pending)")
    XCTAssertEqual(
      SweepProgress.bestLines(r),
      ["best sum (max): t5 7.0000  p=\"y\" q=5", "best product (max): t5 15.0000  p=\"y\" q=5"])
    // ASHA's stopped trials are finished and counted on their own
    r.trials[3].status = "stopped"
    XCTAssertEqual(
      SweepProgress(r).line,
      "progress: 5/6 finished (1 done, 1 running, 2 failed, 1 infeasible, 1 stopped, 0 pending)")
  }
}
