import Foundation
import Support

/// A stage whose runs can continue one another: runs that differ only in how far they go (the
/// `train` stage's `train.stop_after_epochs`) follow one trajectory, so a longer run starts from
/// the checkpoint a shorter one left instead of from scratch.
///
/// The runner gives such a stage ``StageContext/checkpoints``: a cache folder keyed like the
/// stage's own cache key but with ``trajectorySettings(_:)`` in place of the settings, shared by
/// every run of the trajectory. The budget stays in the stage's cache key (its outputs differ);
/// only the checkpoints are shared.
public protocol ContinuableStage: Stage {
  /// The stage's settings without the budget: two runs with equal trajectory settings and
  /// inputs compute the same sequence of states, each stopping at its own point.
  func trajectorySettings(_ experiment: ResolvedExperiment) -> JSONValue
}
