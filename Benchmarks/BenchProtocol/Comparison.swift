import Foundation

/// Two sides measured in alternating rounds, one process at a time: in round r each side runs
/// its own worker process to completion while nothing of the other side is alive, and the side
/// that goes first alternates, so a slow drift of the machine's speed favours neither.
public struct Comparison: Sendable {
  /// Per side, its reports in round order (one worker process per round).
  public var reports: [[WorkerReport]]
  public var names: [String]
  /// Why a side stopped being measured (e.g. PyTorch is not importable), by side index.
  public var failures: [Int: String] = [:]
  /// The round number whose order the first round followed (see ``run``).
  public var firstRound = 0

  public init(reports: [[WorkerReport]], names: [String], failures: [Int: String] = [:]) {
    (self.reports, self.names, self.failures) = (reports, names, failures)
  }

  /// Which side runs first, second, … in round `round`: in order on even rounds, reversed on
  /// odd ones.
  public static func order(round: Int, sides: Int) -> [Int] {
    round % 2 == 0 ? Array(0..<sides) : Array((0..<sides).reversed())
  }

  /// Runs `rounds` rounds of `job` on `sides`, pausing `settle` seconds between processes; a side
  /// whose worker fails is dropped from later rounds, with the reason in ``failures``. The
  /// order of round r is that of round `firstRound + r`, so a series of one-round comparisons
  /// (a grid) can alternate who goes first from cell to cell.
  public static func run(
    rounds: Int, sides: [WorkerCommand], job: WorkerJob, firstRound: Int = 0, settle: Double = 0.3
  ) -> Comparison {
    var result = Comparison(reports: sides.map { _ in [] }, names: sides.map(\.name))
    result.firstRound = firstRound
    for round in 0..<rounds {
      for side in order(round: firstRound + round, sides: sides.count) where result.failures[side] == nil {
        do {
          result.reports[side].append(try WorkerRunner.run(sides[side], job: job))
        } catch {
          result.failures[side] = "\(error)"
        }
        Thread.sleep(forTimeInterval: settle)
      }
    }
    return result
  }

  /// The measurements of `kind` of side `side`, in round order.
  public func measurements(_ kind: String, side: Int) -> [RateMeasurement] {
    reports[side].compactMap { $0.measurement(kind) }
  }

  /// Side 0's best over side 1's best for `kind`, when both were measured and `policy` lets the
  /// ratio stand; otherwise the sentence saying why not.
  public func ratio(_ kind: String, policy: LoadPolicy) -> RatioOutcome {
    guard names.count == 2 else { return .unmeasured("a ratio needs exactly two sides") }
    for side in 0..<2 where measurements(kind, side: side).isEmpty {
      return .unmeasured("\(names[side]) was not measured (\(failures[side] ?? "no result"))")
    }
    if let reason = verdict(kind, policy: policy).reason { return .unreliable(reason) }
    let bests = (0..<2).map { RateSummary(measurements(kind, side: $0).map(\.imagesPerSecond)).best }
    return .ratio(bests[0] / bests[1])
  }

  /// The load verdict over every window of `kind` on every side.
  public func verdict(_ kind: String, policy: LoadPolicy) -> LoadVerdict {
    policy.verdict((0..<names.count).flatMap { measurements(kind, side: $0).map(\.load) })
  }

  /// The printed block for `kind`: each round's rate and load per side, best and median per
  /// side, and either the ratio of bests or why there is none.
  public func lines(_ kind: String, policy: LoadPolicy, unit: String = "images/s") -> [String] {
    var out: [String] = []
    let rounds = reports.map(\.count).max() ?? 0
    for round in 0..<rounds {
      let order = Comparison.order(round: firstRound + round, sides: names.count)
      let cells = order.compactMap { side -> String? in
        guard round < reports[side].count, let m = reports[side][round].measurement(kind) else { return nil }
        let flag = m.load.contention > policy.maxOtherCores ? " LOADED" : ""
        return "\(names[side]) " + String(format: "%.1f", m.imagesPerSecond) + " (\(m.load.text))\(flag)"
      }
      out.append("    round \(round + 1): " + cells.joined(separator: "; then "))
    }
    for side in names.indices {
      let rates = measurements(kind, side: side).map(\.imagesPerSecond)
      if rates.isEmpty {
        out.append("  \(names[side]): not measured (\(failures[side] ?? "no result"))")
      } else {
        let s = RateSummary(rates)
        let name = names[side].padding(toLength: max(9, names[side].count), withPad: " ", startingAt: 0)
        out.append(
          "  \(name) " + String(format: "best %.1f, median %.1f", s.best, s.median) + " \(unit) (\(s.count) rounds)")
      }
    }
    if names.count == 2 {
      switch ratio(kind, policy: policy) {
      case .ratio(let r): out.append("  ratio of bests \(names[0]) / \(names[1]): " + String(format: "%.2f×", r))
      case .unreliable(let why): out.append("  UNRELIABLE, no ratio: \(why)")
      case .unmeasured(let why): out.append("  no ratio: \(why)")
      }
    }
    return out
  }
}

/// What a comparison can say about the ratio of two sides.
public enum RatioOutcome: Equatable, Sendable {
  /// The ratio of bests, every window quiet enough.
  case ratio(Double)
  /// Both sides measured, but some window was loaded: the sentence why no ratio is stated.
  case unreliable(String)
  /// A side has no measurement (e.g. PyTorch is not importable).
  case unmeasured(String)

  public var isUnreliable: Bool { if case .unreliable = self { return true } else { return false } }
}
