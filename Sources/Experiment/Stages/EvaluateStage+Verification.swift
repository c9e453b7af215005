import Autograd
import Datasets
import Foundation
import Geometry
import Graph
import GraphTraining
import Images
import Metrics
import RunFormat
import Support

extension EvaluateStage {
  /// Identity data: LFW-protocol ten-fold verification on the split's pairs; writes
  /// `verification.json` and the per-pair distances for the report's histograms.
  func verification(executor: InferenceEngine, loader: DataLoader, split: DatasetSplit, context: StageContext) throws
    -> KPIBlock
  {
    let graph = executor.graph
    guard let d = graph.outputs.first(where: { $0.role == .descriptor }) else {
      throw StageError.failed("model has no descriptor output")
    }
    let identities = try split.identities(), names = try split.identityNames()
    var embeddings: [String: [Float]] = [:]
    var keyOf: [Int: String] = [:]
    var perIdentity: [Int: Int] = [:]
    for i in 0..<split.count {
      let id = identities[i]
      let k = (perIdentity[id] ?? 0) + 1
      perIdentity[id] = k
      keyOf[i] = LFWPairs.key(name: id < names.count ? names[id] : "id\(id)", index: k)
    }
    try infer(executor, loader, context) { batch, out in
      guard let e = out[d.name] else { return }
      let dim = e.count / max(1, batch.count)
      for (slot, index) in batch.indices.enumerated() {
        embeddings[keyOf[index] ?? "\(index)"] = Array(e.scalars[(slot * dim)..<((slot + 1) * dim)])
      }
    }
    let stored = try split.pairs()
    let folds = (stored.map(\.fold).max() ?? 0) + 1
    let pairs = LFWPairs(
      folds: folds, pairsPerFold: stored.count / max(1, 2 * folds),
      pairs: stored.map {
        LFWPairs.Pair(first: keyOf[$0.first] ?? "", second: keyOf[$0.second] ?? "", isMatch: $0.isMatch, fold: $0.fold)
      })
    let metric = context.settings.evaluate.distance
    let report = try VerificationEvaluator.evaluate(pairs: pairs, embeddings: embeddings, metric: metric)
    // per-pair distances, for the report's matched vs mismatched histograms
    var same: [JSONValue] = [], different: [JSONValue] = []
    for p in pairs.pairs {
      guard let a = embeddings[p.first], let b = embeddings[p.second] else { continue }
      let d = JSONValue.number(metric.distance(a[...], b[...]))
      if p.isMatch { same.append(d) } else { different.append(d) }
    }
    try AtomicWrite.writeJSON(
      .object(["metric": .string(metric.rawValue), "same": .array(same), "different": .array(different)]),
      to: context.outputFile(RunLayout.File.verificationDistances))
    try AtomicWrite.writeJSON(report, to: context.outputFile(RunLayout.File.verification), snakeCase: false)
    try AtomicWrite.write(report.renderText(), to: context.output.appendingPathComponent("verification.txt"))
    var kpis: [String: JSONValue] = [
      "accuracy": .number(report.accuracy), "accuracy_std": .number(report.standardDeviation),
      "accuracy_se": .number(report.standardError), "auc": .number(report.roc.auc),
      "eer": .number(report.roc.equalErrorRate),
    ]
    var tarDefinitions: [String: JSONValue] = [:]
    for t in report.tarAtFar {
      kpis["tar_at_far_\(t.far)"] = .number(t.tar)
      tarDefinitions["tar_at_far_\(t.far)"] = .string(
        "true accept rate at a false accept rate of \(t.far), on the ROC over all pairs pooled")
    }
    return KPIBlock(
      kpis: kpis,
      definitions: [
        "accuracy": .string(
          "LFW protocol: mean of 10 fold accuracies, each fold's threshold chosen on the other 9 (\(metric.rawValue) distance)"
        ),
        "accuracy_std": .string("population standard deviation (÷ n) of the fold accuracies, as facenet prints it"),
        "accuracy_se": .string(
          "standard error of the mean accuracy: sample standard deviation (÷ (n − 1)) / √folds, as LFW's README defines S_E"
        ),
        "auc": .string("area under the ROC over all pairs"), "eer": .string("equal error rate"),
      ].merging(tarDefinitions) { a, _ in a })
  }
}
