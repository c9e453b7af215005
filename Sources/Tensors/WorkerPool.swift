import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The threads that run a parallel region's chunks beside the calling thread: one fewer than
/// the cores, started once, each spinning for a while after a region before it sleeps.
///
/// A training step runs 70–100 short parallel regions with single-threaded work between them.
/// With GCD's `concurrentPerform` a worker parked between regions took 8–15 µs to wake on a
/// 2-vCPU VM (an idle vCPU's wake-up; 0.5 µs when regions follow back to back), 3–5 % of a
/// tiny YOLO step. Here a worker that finished a region keeps polling for the next one for
/// ``spinSeconds`` before it waits on a condition variable. Which chunk runs on which thread
/// does not matter: the chunks are fixed by the problem size and write disjoint outputs, so
/// results are the same bits (``Parallel``).
final class WorkerPool: @unchecked Sendable {
  /// The process's pool: one worker per core beyond the first; none (GCD for every region)
  /// when the environment sets `WORKBENCH_POOL=0`, to compare.
  static let shared = WorkerPool(
    workers: getenv("WORKBENCH_POOL").map { String(cString: $0) } == "0"
      ? 0 : max(0, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1))

  /// How long a worker polls for the next region before it sleeps.
  static let spinSeconds = 200e-6

  let workers: Int
  /// Bumped (under `mutex`) when a region is published; polled by spinning workers.
  private let generation = Atomic<Int>(0)
  /// The next chunk to take and the chunks finished in the current region.
  private let next = Atomic<Int>(0), finished = Atomic<Int>(0)
  /// Workers inside a region (between reading its job and leaving its chunk loop).
  private let active = Atomic<Int>(0)
  /// Whether a region is running: a region started meanwhile (nested, or from another thread)
  /// does not use the pool.
  private let busy = Atomic<Bool>(false)
  // the region's job and chunk count: written and read under `mutex`
  private var job: ((Int) -> Void)?
  private var count = 0
  private var mutex = pthread_mutex_t()
  private var wake = pthread_cond_t()

  init(workers: Int) {
    _ = MemoryTuning.applied
    self.workers = workers
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&wake, nil)
    for _ in 0..<workers {
      let context = Unmanaged.passRetained(self).toOpaque()
      var thread = pthread_t()
      let started = pthread_create(
        &thread, nil,
        { context in
          guard let context else { return nil }
          Unmanaged<WorkerPool>.fromOpaque(context).takeRetainedValue().work()  // never returns
        }, context)
      if started == 0 { pthread_detach(thread) } else { Unmanaged<WorkerPool>.fromOpaque(context).release() }
    }
  }

  /// Runs `body(i)` for every i in 0..<count on this thread and the workers; returns when all
  /// are done. Returns false without running anything when the pool is in use (the caller then
  /// runs the region another way).
  func run(_ count: Int, _ body: (Int) -> Void) -> Bool {
    guard workers > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
      return false
    }
    withoutActuallyEscaping(body) { body in
      // publish only when no worker is still inside the last region
      while true {
        pthread_mutex_lock(&mutex)
        if active.load(ordering: .acquiring) == 0 { break }
        pthread_mutex_unlock(&mutex)
      }
      (job, self.count) = (body, count)
      next.store(0, ordering: .relaxed)
      finished.store(0, ordering: .relaxed)
      generation.add(1, ordering: .releasing)
      pthread_cond_broadcast(&wake)
      pthread_mutex_unlock(&mutex)
      runChunks(body, count)
      while finished.load(ordering: .acquiring) < count {}
      // the job must not outlive this call: withdrawn under the mutex, so a worker either took
      // it before (and is counted in `active` until it has dropped it) or finds none
      pthread_mutex_lock(&mutex)
      job = nil
      pthread_mutex_unlock(&mutex)
      while active.load(ordering: .acquiring) > 0 {}
    }
    busy.store(false, ordering: .releasing)
    return true
  }

  private func runChunks(_ body: (Int) -> Void, _ count: Int) {
    while true {
      let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
      guard i < count else { return }
      body(i)
      finished.add(1, ordering: .releasing)
    }
  }

  /// A worker's loop: wait for a region newer than the last one it saw (polling, then
  /// sleeping), take its job under the mutex, run chunks until none are left.
  private func work() -> Never {
    var seen = 0
    while true {
      let start = Self.seconds()
      while generation.load(ordering: .acquiring) == seen && Self.seconds() - start < Self.spinSeconds {}
      pthread_mutex_lock(&mutex)
      while generation.load(ordering: .relaxed) == seen { pthread_cond_wait(&wake, &mutex) }
      seen = generation.load(ordering: .relaxed)
      active.add(1, ordering: .relaxed)
      do {  // the job's reference ends with this scope, before `active` says this worker left
        let (body, n) = (job, count)
        pthread_mutex_unlock(&mutex)
        if let body { runChunks(body, n) }
      }
      active.subtract(1, ordering: .releasing)
    }
  }

  private static func seconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }
}
