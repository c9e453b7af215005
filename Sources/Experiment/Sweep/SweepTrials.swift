import Foundation
import Support
import Tensors

/// Turns a sweep's space into trials (grid or seeded random) and checks that every trial is a
/// valid experiment.
public enum SweepTrials {
  /// The points of the space, before they are resolved: grid order (keys sorted, the last key
  /// varying fastest) or `trials` random draws, each from its own stream of the sweep seed so a
  /// draw does not depend on how many came before. At most `maxTrials` when given.
  /// ASHA: `trials` random draws; TPE: its random start-up trials only (the rest are proposed
  /// as results arrive, see ``TPESampler``).
  public static func points(_ spec: SweepSpec, maxTrials: Int? = nil) -> [[JSONValue]] {
    let cap = [maxTrials, spec.search == .grid ? spec.trials : nil].compactMap { $0 }.min()
    switch spec.search {
    case .asha:
      return (0..<min(spec.trials ?? 1, cap ?? .max)).map { randomPoint(spec, index: $0) }
    case .tpe:
      let n = min(spec.trials ?? 1, cap ?? .max, spec.tpe.startupTrials)
      return (0..<n).map { randomPoint(spec, index: $0) }
    case .grid:
      var out: [[JSONValue]] = [[]]
      for (_, d) in spec.space {
        let values = d.gridValues ?? []
        out = out.flatMap { prefix in values.map { prefix + [$0] } }
      }
      return cap.map { Array(out.prefix($0)) } ?? out
    case .random:
      let n = min(spec.trials ?? 1, cap ?? .max)
      return (0..<n).map { randomPoint(spec, index: $0) }
    }
  }

  /// `grid, 4 trials`, `asha, 4 trials, rungs of 1/3 epochs (η 3)`, `tpe, 20 trials, 10 random
  /// start-up trials listed`: the search and what a listing of `listed` trials shows.
  public static func describe(_ spec: SweepSpec, listed: Int) -> String {
    switch spec.search {
    case .grid, .random: return "\(spec.search.rawValue), \(listed) trials"
    case .asha:
      guard let a = spec.asha else { return "asha, \(listed) trials" }
      let rungs = AshaScheduler(
        minEpochs: a.minEpochs, maxEpochs: a.maxEpochs, eta: a.eta, direction: .max, maxTrials: 1
      ).rungEpochs
      return "asha, \(listed) trials, rungs of \(rungs.map(String.init).joined(separator: "/")) epochs (η \(a.eta))"
    case .tpe:
      return "tpe, \(spec.trials ?? listed) trials, the \(listed) random start-up trials listed"
    }
  }

  /// Random draw `index` of the space: each dimension from its own stream of the sweep seed.
  public static func randomPoint(_ spec: SweepSpec, index: Int) -> [JSONValue] {
    randomPoint(spec.space, seed: spec.seed, index: index)
  }

  /// Random draw `index` of `space` with the sweep seed `seed`.
  static func randomPoint(_ space: [(path: String, dimension: SweepDimension)], seed: UInt64, index: Int)
    -> [JSONValue]
  {
    let draw = RandomStream(seed: seed).split("sweep").split(index: index)
    return space.map { path, d in
      var rng = draw.split(path)
      return d.sample(&rng)
    }
  }

  /// The overrides of the trial at `point`: the fixed ones, ASHA's `train.epochs` (R), then
  /// the point's values.
  static func overrides(_ spec: SweepSpec, point: [JSONValue]) -> [String] {
    let asha = spec.asha.map { ["train.epochs=\($0.maxEpochs)"] } ?? []
    return spec.fixed + asha + zip(spec.space, point).map { "\($0.path)=\($1.canonical)" }
  }

  /// The trial at `point` (number `index` in the sweep's order), resolved from `raw`, the base
  /// experiment as written.
  /// - Throws: ``SpecError`` when the point does not make a valid experiment.
  public static func trial(_ spec: SweepSpec, raw: JSONValue, index: Int, point: [JSONValue]) throws -> SweepTrial {
    let values = zip(spec.space, point).map { (path: $0.path, value: $1) }
    let overrides = overrides(spec, point: point)
    let e = try ExperimentLoader.resolve(raw, file: spec.base, overrides: overrides)
    let id = SweepTrial.id(of: e)
    let named = try ExperimentLoader.resolve(raw, file: spec.base, overrides: overrides + ["name=\(id)"])
    return SweepTrial(index: index, values: values, overrides: overrides, experiment: named, id: id)
  }

  /// The sweep's trials, each resolved with ``ExperimentLoader`` from the base experiment, the
  /// fixed overrides and its values. Draws that give an experiment already listed are dropped.
  /// - Throws: ``SpecError`` listing every distinct problem with the first trial that has it
  ///   (an unknown space path gets the experiment's did-you-mean).
  public static func make(_ spec: SweepSpec, maxTrials: Int? = nil) throws -> [SweepTrial] {
    let data = try FileSystem.read(spec.base, "the base experiment")
    let raw = try JSONValue.parse(data, file: spec.base)
    var trials: [SweepTrial] = []
    var seen = Set<String>()
    var issues: [SpecIssue] = []
    let fixedPaths = spec.fixed.map { String($0.prefix { $0 != "=" }) }
    for (i, point) in points(spec, maxTrials: maxTrials).enumerated() {
      let values = zip(spec.space, point).map { (path: $0.path, value: $1) }
      do {
        let t = try trial(spec, raw: raw, index: i, point: point)
        guard seen.insert(t.id).inserted else { continue }
        trials.append(t)
      } catch SpecError.invalid(_, let found) {
        let label = values.map { "\($0.path)=\($0.value.canonical)" }.joined(separator: " ")
        for f in found where !issues.contains(where: { $0.message.hasSuffix(": \(f.description)") }) {
          let path = spec.space.map(\.path).first { f.path == $0 || f.path.hasPrefix("\($0).") }
          issues.append(
            SpecIssue(
              path: path.map { "space.\($0)" } ?? (fixedPaths.contains { f.path.hasPrefix($0) } ? "set" : "base"),
              message: "trial \(i + 1) (\(label)) is not a valid experiment: \(f.description)"))
        }
      } catch SpecError.badOverride(let text, let reason) {
        issues.append(SpecIssue(path: "set", message: "trial \(i + 1): override `\(text)`: \(reason)"))
      }
    }
    if !issues.isEmpty { throw SpecError.invalid(file: spec.file, issues: issues) }
    return trials
  }
}
