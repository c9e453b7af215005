import Foundation
import Support
import Tensors
import XCTest

@testable import Experiment

/// The `asha` and `tpe` sections of sweep files: validation with JSON paths and did-you-mean,
/// ASHA's ownership of `train.epochs`, and the trials each search lists before it runs.
final class AshaSweepSpecTests: XCTestCase, SweepSpecParsing {
  func testAshaAndTPESectionsAreValidatedWithPaths() {
    XCTAssertEqual(
      issues(
        #"{"version": 1, "name": "a", "base": "b.json", "search": "asha", "trials": 4, "set": ["train.epochs=2"], "space": {"lr": {"uniform": [0, 1]}, "train.stop_after_epochs": [1]}, "asha": {"min_epoch": 1, "max_epochs": 0, "eta": 1}, "tpe": {"gamma": 0.5}, "objectives": {"float.map50": "max"}}"#
      ).sorted(),
      [
        "asha.eta: expected an integer >= 2, got 1",
        "asha.max_epochs: expected an integer >= 1, got 0",
        "asha.min_epoch: unknown key; did you mean `min_epochs`?",
        "asha.min_epochs: missing; expected an integer >= 1",
        "set[0]: ASHA sets train.epochs itself (asha.max_epochs and each rung's epochs); remove it",
        "space.train.stop_after_epochs: ASHA sets train.stop_after_epochs itself (asha.max_epochs and each rung's epochs); remove it",
        "tpe: applies to \"search\": \"tpe\" only; remove it or change search",
      ])
    XCTAssertEqual(
      issues(
        #"{"version": 1, "name": "a", "base": "b.json", "search": "asha", "space": {"lr": [1]}, "objectives": {"float.map50": "max"}}"#
      ).sorted(),
      [
        "asha: missing; ASHA search needs its rungs, e.g. {\"min_epochs\": 1, \"max_epochs\": 9, \"eta\": 3}",
        "trials: missing; asha search needs the number of trials",
      ])
    XCTAssertEqual(
      issues(
        #"{"version": 1, "name": "a", "base": "b.json", "search": "asha", "trials": 2, "space": {"lr": [1]}, "asha": {"min_epochs": 4, "max_epochs": 3}, "objectives": {"float.map50": "max"}}"#
      ),
      ["asha.min_epochs: expected at most asha.max_epochs (3), got 4"])
    XCTAssertEqual(
      issues(
        #"{"version": 1, "name": "t", "base": "b.json", "search": "tpe", "trials": 9, "space": {"lr": [1]}, "tpe": {"gama": 0.5, "candidates": 0}, "asha": {"min_epochs": 1, "max_epochs": 3}, "objectives": {"float.map50": "max"}}"#
      ).sorted(),
      [
        "asha: applies to \"search\": \"asha\" only; remove it or change search",
        "tpe.candidates: expected an integer >= 1, got 0",
        "tpe.gama: unknown key; did you mean `gamma`?",
      ])
    XCTAssertEqual(
      issues(
        #"{"version": 1, "name": "t", "base": "b.json", "search": "tp", "trials": 9, "space": {"lr": [1]}, "objectives": {"float.map50": "max"}}"#
      ),
      ["search: expected one of \"grid\", \"random\", \"asha\", \"tpe\", got \"tp\"; did you mean \"tpe\"?"])
  }

  /// ASHA trials are the random search's draws with `train.epochs` = R; TPE lists its random
  /// start-up trials (the rest are proposed while it runs).
  func testAshaTrialsTrainRAndTPEListsItsStartUpTrials() throws {
    let asha = try spec(
      #"{"version": 1, "name": "a", "base": "\#(SweepSpaceTests.quick)", "search": "asha", "trials": 5, "seed": 3, "space": {"train.optimizer.lr": {"log_uniform": [1e-4, 1e-2]}}, "asha": {"min_epochs": 1, "max_epochs": 9}, "objectives": {"float.map50": "max"}}"#
    )
    XCTAssertEqual(asha.asha, SweepSpec.Asha(minEpochs: 1, maxEpochs: 9, eta: 3))
    let trials = try SweepTrials.make(asha)
    XCTAssertEqual(trials.count, 5)
    XCTAssertEqual(trials.map(\.experiment.settings.train.epochs), [9, 9, 9, 9, 9])
    XCTAssertEqual(trials.map(\.experiment.settings.train.stopAfterEpochs), [nil, nil, nil, nil, nil])
    XCTAssertEqual(trials[0].overrides.first, "train.epochs=9")
    var random = asha
    random.search = .random
    XCTAssertEqual(SweepTrials.points(asha), SweepTrials.points(random))
    XCTAssertEqual(SweepTrials.describe(asha, listed: 5), "asha, 5 trials, rungs of 1/3/9 epochs (η 3)")

    let tpe = try spec(
      #"{"version": 1, "name": "t", "base": "\#(SweepSpaceTests.quick)", "search": "tpe", "trials": 20, "tpe": {"startup_trials": 4}, "space": {"train.optimizer.lr": {"log_uniform": [1e-4, 1e-2]}}, "objectives": {"float.map50": "max"}}"#
    )
    XCTAssertEqual(tpe.tpe.startupTrials, 4)
    XCTAssertEqual(tpe.tpe.gamma, 0.25)
    XCTAssertEqual(try SweepTrials.make(tpe).count, 4)
    XCTAssertEqual(SweepTrials.points(tpe), (0..<4).map { SweepTrials.randomPoint(tpe, index: $0) })
  }

  /// `train.stop_after_epochs`: the run trains that many epochs of the `epochs` schedule; a value
  /// that does not stop early is the full run (same train settings, so the same cache key).
  func testStopAfterEpochsKeepsTheScheduleOfTheFullRun() throws {
    let stopped = try ExperimentLoader.load(
      path: SweepSpaceTests.quick, overrides: ["train.epochs=9", "train.stop_after_epochs=3"])
    let full = try ExperimentLoader.load(path: SweepSpaceTests.quick, overrides: ["train.epochs=9"])
    let beyond = try ExperimentLoader.load(
      path: SweepSpaceTests.quick, overrides: ["train.epochs=9", "train.stop_after_epochs=12"])
    let a = stopped.settings.train.configuration(random: RandomStream(seed: 1))
    let b = full.settings.train.configuration(random: RandomStream(seed: 1))
    XCTAssertEqual(a.epochs, 3)
    XCTAssertEqual(b.epochs, 9)
    XCTAssertEqual(a.schedule, b.schedule, "the schedule is over train.epochs")
    XCTAssertEqual(a.trajectoryHash, b.trajectoryHash, "one trajectory: the stopped run's checkpoint continues")
    let stage = TrainStage()
    XCTAssertNotEqual(stage.settings(stopped), stage.settings(full), "a stopped run is its own cache entry")
    XCTAssertEqual(stage.settings(beyond), stage.settings(full))
    XCTAssertEqual(stage.trajectorySettings(stopped), stage.settings(full))
    XCTAssertNil(full.document["train"]?["stop_after_epochs"], "absent unless set: existing cache keys stay")
  }
}
