import Foundation

/// What the machine was doing at one instant, as the load accounting needs it: the system's CPU
/// counters, the measured child's CPU ticks, this process's own CPU ticks and the load average.
public struct LoadSnapshot: Equatable, Sendable {
  public var system: SystemCPUSnapshot
  /// CPU ticks of the measured worker process (all its threads).
  public var childTicks: Int
  /// CPU ticks of the benchmark driver itself (it only waits, but it is not "other load").
  public var selfTicks: Double
  /// `/proc/loadavg`'s one-minute figure, when readable.
  public var loadAverage: Double?

  public init(system: SystemCPUSnapshot, childTicks: Int, selfTicks: Double, loadAverage: Double?) {
    (self.system, self.childTicks, self.selfTicks, self.loadAverage) = (system, childTicks, selfTicks, loadAverage)
  }

  /// The snapshot now, with `child` as the measured process.
  public static func now(child: Int32) throws -> LoadSnapshot {
    let ticks = try ProcessCPU.ticks(pid: child)
    let system = try SystemCPUSnapshot.read()
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
      getrusage(RUSAGE_SELF, &usage)
    #endif
    let selfSeconds =
      Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
      + Double(usage.ru_stime.tv_usec) / 1e6
    return LoadSnapshot(
      system: system, childTicks: ticks, selfTicks: selfSeconds * Double(sysconf(Int32(_SC_CLK_TCK))),
      loadAverage: LoadAverage.oneMinute())
  }
}

/// The load other processes put on the machine during one measurement window.
///
/// Everything is in clock ticks of `/proc`, so no second clock is mixed in: the window lasted
/// `Δtotal / cores` ticks per core; others used the busy ticks that neither the measured child
/// nor the driver used; the hypervisor took the steal ticks. Dividing by the window's length
/// gives average cores.
public struct WindowLoad: Equatable, Sendable {
  /// Average cores used by every process but the measured one and the driver.
  public var otherCores: Double
  /// Average cores taken by the hypervisor (steal).
  public var stealCores: Double
  /// Average cores the measured child used (2 on a 2-core machine when it kept both busy).
  public var childCores: Double
  /// The one-minute load average at the end of the window.
  public var loadAverage: Double?

  public init(otherCores: Double, stealCores: Double, childCores: Double, loadAverage: Double?) {
    (self.otherCores, self.stealCores, self.childCores, self.loadAverage) =
      (otherCores, stealCores, childCores, loadAverage)
  }

  /// The load between `start` and `end` (same child). A window too short to see one tick per
  /// core counts as fully loaded: nothing can be said about it.
  public init(from start: LoadSnapshot, to end: LoadSnapshot) {
    let cores = Double(end.system.cores)
    let elapsed = Double(end.system.total - start.system.total) / cores
    loadAverage = end.loadAverage
    guard elapsed >= 1 else {
      (otherCores, stealCores, childCores) = (cores, 0, 0)
      return
    }
    let child = Double(end.childTicks - start.childTicks)
    let driver = end.selfTicks - start.selfTicks
    let busy = Double(end.system.busy - start.system.busy)
    otherCores = max(0, busy - child - driver) / elapsed
    stealCores = Double(end.system.steal - start.system.steal) / elapsed
    childCores = child / elapsed
  }

  /// Cores unavailable to the measured process: others' use plus steal.
  public var contention: Double { otherCores + stealCores }

  /// "on 1.97 cores; others 0.04, steal 0.00, load 1.95": the child's own use, the other load
  /// (cores) and the load average.
  public var text: String {
    String(format: "on %.2f cores; others %.2f, steal %.2f, load ", childCores, otherCores, stealCores)
      + (loadAverage.map { String(format: "%.2f", $0) } ?? "?")
  }
}
