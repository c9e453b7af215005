import Foundation
import Support
import Tensors

/// Turns a sweep's space into trials (grid or seeded random) and checks that every trial is a
/// valid experiment.
public enum SweepTrials {
  /// The points of the space, before they are resolved: grid order (keys sorted, the last key
  /// varying fastest) or `trials` random draws, each from its own stream of the sweep seed so a
  /// draw does not depend on how many came before. At most `maxTrials` when given.
  public static func points(_ spec: SweepSpec, maxTrials: Int? = nil) -> [[JSONValue]] {
    let cap = [maxTrials, spec.search == .grid ? spec.trials : nil].compactMap { $0 }.min()
    switch spec.search {
    case .grid:
      var out: [[JSONValue]] = [[]]
      for (_, d) in spec.space {
        let values = d.gridValues ?? []
        out = out.flatMap { prefix in values.map { prefix + [$0] } }
      }
      return cap.map { Array(out.prefix($0)) } ?? out
    case .random:
      let n = min(spec.trials ?? 1, cap ?? .max)
      let root = RandomStream(seed: spec.seed).split("sweep")
      return (0..<n).map { i in
        let draw = root.split(index: i)
        return spec.space.map { path, d in
          var rng = draw.split(path)
          return d.sample(&rng)
        }
      }
    }
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
      let overrides = spec.fixed + values.map { "\($0.path)=\($0.value.canonical)" }
      do {
        let e = try ExperimentLoader.resolve(raw, file: spec.base, overrides: overrides)
        let id = SweepTrial.id(of: e)
        guard seen.insert(id).inserted else { continue }
        let named = try ExperimentLoader.resolve(raw, file: spec.base, overrides: overrides + ["name=\(id)"])
        trials.append(SweepTrial(index: i, values: values, overrides: overrides, experiment: named, id: id))
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
