/// Where the feature maps of the KPU layers live in the 2 MiB KPU RAM: nncase 1.9's
/// `kpu_buffer_allocator` is first-fit over 64-byte rows, so a model can fail on fragmentation
/// even when its peak is below 2 MiB (`k210.md` §2, §12).
///
/// A map is allocated when the first KPU layer that reads or writes it runs (uploaded from main
/// memory when a CPU op produced it) and freed after the last KPU layer that reads it (then
/// downloaded if the CPU reads it). Sizes use the row layout (``KPURowLayout``).
public struct KPUMemoryPlan: Codable, Equatable, Sendable {
  /// One map's place.
  public struct Allocation: Codable, Equatable, Sendable {
    /// The graph value.
    public var value: String
    /// Byte offset in KPU RAM (64-byte aligned).
    public var offset: Int
    /// Bytes in the row layout.
    public var bytes: Int
    /// The layers (by index) during which it is resident.
    public var first: Int, last: Int
  }

  /// A map that found no place.
  public struct Failure: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The layer that needed it.
    public var layer: String
    /// The value and its size.
    public var value: String, bytes: Int
    /// Free bytes in total and in the largest contiguous block at that moment.
    public var free: Int, largestBlock: Int
    /// The KPU RAM size.
    public var capacity: Int

    public var description: String {
      let why =
        free >= bytes
        ? "\(free) bytes are free but the largest contiguous block is \(largestBlock) (fragmentation: first-fit, as nncase)"
        : "only \(free) of the \(capacity) bytes of KPU RAM are free while it runs"
      return
        "layer \(layer) needs \(bytes) bytes of KPU RAM for \(value); \(why). Prune channels or lower the resolution."
    }
  }

  /// Every allocation, in the order made.
  public var allocations: [Allocation]
  /// The most bytes resident at once.
  public var peakBytes: Int
  /// The highest byte in use (peak plus fragmentation).
  public var highWater: Int
  /// The first map that did not fit, if any.
  public var failure: Failure?

  /// Plans the KPU RAM of `layers` (from ``K210Partition``).
  public init(layers: [K210Layer], shapes: [String: [Int]], capacity: Int) {
    func bytes(_ v: String) -> Int {
      let s = shapes[v] ?? []
      return s.count == 4
        ? KPURowLayout.bytes(channels: s[1], height: s[2], width: s[3]) : 64 * ((s.reduce(1, *) + 63) / 64)
    }
    var lastUse: [String: Int] = [:]
    for (i, l) in layers.enumerated() where l.processor == .kpu {
      for v in l.inputs + [l.output] { lastUse[v] = i }
    }
    var live: [(value: String, offset: Int, bytes: Int, index: Int)] = []
    var allocations: [Allocation] = []
    var peak = 0, high = 0
    var failure: Failure? = nil
    outer: for (i, l) in layers.enumerated() where l.processor == .kpu {
      for v in l.inputs + [l.output] where !live.contains(where: { $0.value == v }) {
        let size = bytes(v)
        var offset = 0
        var placed: Int? = nil
        for block in live.sorted(by: { $0.offset < $1.offset }) {
          if block.offset - offset >= size { placed = offset; break }
          offset = max(offset, block.offset + block.bytes)
        }
        if placed == nil && capacity - offset >= size { placed = offset }
        guard let at = placed else {
          let used = live.reduce(0) { $0 + $1.bytes }
          var largest = 0, cursor = 0
          for block in live.sorted(by: { $0.offset < $1.offset }) {
            largest = max(largest, block.offset - cursor)
            cursor = max(cursor, block.offset + block.bytes)
          }
          largest = max(largest, capacity - cursor)
          failure = Failure(
            layer: l.name, value: v, bytes: size, free: capacity - used, largestBlock: largest, capacity: capacity)
          break outer
        }
        live.append((v, at, size, i))
        high = max(high, at + size)
      }
      peak = max(peak, live.reduce(0) { $0 + $1.bytes })
      for block in live where (lastUse[block.value] ?? i) <= i {
        allocations.append(
          Allocation(value: block.value, offset: block.offset, bytes: block.bytes, first: block.index, last: i))
      }
      live.removeAll { (lastUse[$0.value] ?? i) <= i }
    }
    for block in live {
      allocations.append(
        Allocation(value: block.value, offset: block.offset, bytes: block.bytes, first: block.index, last: block.index))
    }
    self.allocations = allocations
    self.peakBytes = peak
    self.highWater = high
    self.failure = failure
  }
}
