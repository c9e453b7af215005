import Foundation

/// One unit of work of an adaptive sweep (ASHA, TPE): train trial `trial` (row `position` of
/// `trials.json`) as its experiment says; for an ASHA rung, the experiment has the rung's
/// `train.stop_after_epochs`.
struct SweepJob {
  var position: Int
  var trial: SweepTrial
  /// ASHA: the rung (0 = lowest); nil for TPE.
  var rung: Int?
}

/// A search that decides what runs next from the results so far. The pool calls both methods
/// under one lock, so implementations need no locking of their own.
protocol AdaptiveSearch: AnyObject {
  /// The next job, or nil when nothing can start until a running job reports (or ever).
  func next() -> SweepJob?
  /// `job` finished with the trial record read from its run folder.
  func finished(_ job: SweepJob, _ record: SweepResults.Trial)
}

/// Runs an adaptive search's jobs on `slots` workers: whenever a worker is free it asks the
/// search for the next job (asynchronous: nobody waits for a rung or a batch to fill), and each
/// outcome is reported before the next question. Ends when no job runs and the search has none
/// to give, or once the sweep is cancelled and the running jobs have returned. One slot runs the
/// jobs in the calling thread, in order.
enum SweepJobPool {
  static func run(
    slots: Int, search: AdaptiveSearch, execute: @escaping (SweepJob) -> SweepResults.Trial
  ) {
    let state = PoolState()
    state.condition.lock()
    while true {
      while state.running < max(1, slots), !Cancellation.isRequested, let job = search.next() {
        if slots <= 1 {
          state.condition.unlock()
          let record = execute(job)
          state.condition.lock()
          search.finished(job, record)
          continue
        }
        state.running += 1
        Thread.detachNewThread {
          let record = execute(job)
          state.condition.lock()
          search.finished(job, record)
          state.running -= 1
          state.condition.signal()
          state.condition.unlock()
        }
      }
      if state.running == 0 { break }
      state.condition.wait()
    }
    state.condition.unlock()
  }
}

/// The pool's count of running jobs, guarded by its condition.
private final class PoolState: @unchecked Sendable {
  let condition = NSCondition()
  var running = 0
}
