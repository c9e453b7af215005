import Foundation

/// The batches of one epoch in order, built ahead on a background thread when `depth > 0`.
///
/// The producer builds batches 0, 1, 2, … and blocks when `depth` are waiting; ``next()``
/// returns them in order and rethrows a producer's error at the batch where it happened (and
/// returns `nil` afterwards). Releasing the iterator early stops the producer.
public final class BatchIterator {
  private let loader: DataLoader
  private let epoch: Int
  private let order: [Int]
  private let depth: Int
  private let state = PrefetchState()
  private var nextToReturn = 0
  private var failed = false

  init(loader: DataLoader, epoch: Int, order: [Int], depth: Int) {
    self.loader = loader
    self.epoch = epoch
    self.order = order
    self.depth = depth
  }

  deinit { state.cancel() }

  /// The next batch, or `nil` after the last one.
  public func next() throws -> Batch? {
    guard nextToReturn < loader.batchesPerEpoch, !failed else { return nil }
    defer { nextToReturn += 1 }
    do {
      if depth == 0 { return try loader.batch(nextToReturn, order: order, epoch: epoch) }
      if nextToReturn == 0 { start() }
      return try state.take(nextToReturn).get()
    } catch {
      failed = true
      throw error
    }
  }

  private func start() {
    let total = loader.batchesPerEpoch
    let thread = Thread { [state, loader, order, epoch, depth] in
      for index in 0..<total {
        guard state.waitForRoom(index: index, depth: depth) else { return }
        let result = Result { try loader.batch(index, order: order, epoch: epoch) }
        state.put(index, result)
        if case .failure = result { return }
      }
    }
    thread.name = "DataLoader.prefetch"
    thread.start()
  }
}

/// The queue shared by a ``BatchIterator`` and its producer thread.
final class PrefetchState: @unchecked Sendable {
  private let condition = NSCondition()
  private var ready: [Int: Result<Batch, Error>] = [:]
  private var taken = 0
  private var cancelled = false

  /// Blocks until batch `index` may be built; `false` if the consumer went away.
  func waitForRoom(index: Int, depth: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !cancelled && index - taken >= depth { condition.wait() }
    return !cancelled
  }

  func put(_ index: Int, _ result: Result<Batch, Error>) {
    condition.lock()
    ready[index] = result
    condition.broadcast()
    condition.unlock()
  }

  func take(_ index: Int) -> Result<Batch, Error> {
    condition.lock()
    defer { condition.unlock() }
    while ready[index] == nil { condition.wait() }
    let result =
      ready.removeValue(forKey: index) ?? .failure(DatasetError.invalidArgument("prefetch lost batch \(index)"))
    taken = index + 1
    condition.broadcast()
    return result
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }
}
