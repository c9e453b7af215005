/// The stages of a run as a DAG of named artifacts: every artifact a stage reads is written by
/// exactly one earlier stage, and no two stages write the same artifact or share a name.
public struct ArtifactGraph {
  /// The stages in execution order.
  public let stages: [Stage]
  /// The stage that writes each artifact.
  public let producer: [ArtifactName: String]

  /// Checks the wiring of `stages`.
  /// - Throws: ``StageError/failed(_:)`` naming the stage and artifact that do not fit.
  public init(_ stages: [Stage]) throws {
    var producer: [ArtifactName: String] = [:]
    var names = Set<String>()
    for s in stages {
      guard names.insert(s.name).inserted else { throw StageError.failed("internal: two stages are named `\(s.name)`") }
      for a in s.reads where producer[a] == nil {
        throw StageError.failed("internal: stage `\(s.name)` reads `\(a)`, which no earlier stage writes")
      }
      for a in s.writes {
        if let other = producer[a.name] {
          throw StageError.failed("internal: stages `\(other)` and `\(s.name)` both write `\(a.name)`")
        }
        producer[a.name] = s.name
      }
    }
    self.stages = stages
    self.producer = producer
  }

  /// The stages named in `names` and every stage that (transitively) reads what they write.
  /// - Throws: ``StageError/failed(_:)`` for a name that is not a stage of this run.
  public func downstream(of names: Set<String>) throws -> Set<String> {
    let all = stages.map(\.name)
    for n in names.sorted() where !all.contains(n) {
      throw StageError.failed("--force \(n): no such stage; this run's stages are \(all.joined(separator: ", "))")
    }
    var out = names
    for s in stages where !out.contains(s.name) {
      if s.reads.contains(where: { producer[$0].map(out.contains) ?? false }) { out.insert(s.name) }
    }
    return out
  }
}
