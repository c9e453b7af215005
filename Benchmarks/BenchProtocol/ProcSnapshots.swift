import Foundation

/// A benchmark figure that could not be read or parsed; the message says which and why.
public struct BenchError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// The machine-wide CPU counters of `/proc/stat`'s aggregate `cpu` line, in clock ticks
/// (USER_HZ), summed over all cores: what every process and the hypervisor used since boot.
public struct SystemCPUSnapshot: Equatable, Sendable {
  /// user + nice + system + irq + softirq: time some process (or the kernel for one) ran.
  public var busy: Int
  /// Time the hypervisor ran another guest while this one wanted to run.
  public var steal: Int
  /// All fields but guest/guest_nice (already inside user/nice): cores × elapsed ticks.
  public var total: Int
  /// The number of `cpuN` lines: the cores `total` is summed over.
  public var cores: Int

  public init(busy: Int, steal: Int, total: Int, cores: Int) {
    (self.busy, self.steal, self.total, self.cores) = (busy, steal, total, cores)
  }

  /// Parses the text of `/proc/stat`.
  /// - Throws: ``BenchError`` when the aggregate `cpu` line is missing or short.
  public init(procStat text: String) throws {
    let lines = text.split(separator: "\n")
    guard let line = lines.first(where: { $0.hasPrefix("cpu ") }) else {
      throw BenchError("/proc/stat has no aggregate 'cpu' line, so the machine's load cannot be measured")
    }
    let f = line.split(separator: " ").dropFirst().compactMap { Int($0) }
    guard f.count >= 8 else {
      throw BenchError("/proc/stat's 'cpu' line has \(f.count) counters, expected at least 8 (user … steal)")
    }
    // user nice system idle iowait irq softirq steal [guest guest_nice]
    busy = f[0] + f[1] + f[2] + f[5] + f[6]
    steal = f[7]
    total = f[0..<8].reduce(0, +)
    cores = max(1, lines.filter { $0.hasPrefix("cpu") && !$0.hasPrefix("cpu ") }.count)
  }

  /// Reads `/proc/stat` now.
  public static func read() throws -> SystemCPUSnapshot {
    try SystemCPUSnapshot(procStat: try ProcFile.text("/proc/stat"))
  }
}

/// The CPU time of one process (all its threads) from `/proc/<pid>/stat`, in clock ticks.
public enum ProcessCPU {
  /// utime + stime of the `stat` line `text`. The command name in parentheses may itself
  /// contain spaces and parentheses, so fields are counted after the last `)`.
  /// - Throws: ``BenchError`` when the line is not a process stat line.
  public static func ticks(procPidStat text: String) throws -> Int {
    guard let close = text.lastIndex(of: ")") else {
      throw BenchError("a /proc/<pid>/stat line has no ')' after the command name")
    }
    // after ")": state(3) ppid(4) … utime(14) stime(15), so utime is the 12th field here
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
      throw BenchError("a /proc/<pid>/stat line has no utime and stime fields")
    }
    return user + system
  }

  /// The CPU ticks of process `pid` now.
  public static func ticks(pid: Int32) throws -> Int {
    try ticks(procPidStat: try ProcFile.text("/proc/\(pid)/stat"))
  }
}

/// Resident memory figures of `/proc/<pid>/status`.
public enum ProcessMemory {
  /// The value in KiB of the `field` line (e.g. `VmHWM`, the peak resident set, or `VmRSS`;
  /// the lines read `VmHWM:\t  123456 kB`).
  public static func kib(_ field: String, procPidStatus text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      return line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap {
        Int($0)
      }
    }
    return nil
  }

  /// The `field` of process `pid` now, in MiB; nil when the process or the field is gone.
  public static func mib(_ field: String, pid: Int32) -> Double? {
    (try? ProcFile.text("/proc/\(pid)/status")).flatMap { kib(field, procPidStatus: $0) }.map { Double($0) / 1024 }
  }
}

/// `/proc/loadavg`'s first figure: runnable processes averaged over the last minute.
public enum LoadAverage {
  public static func oneMinute(procLoadavg text: String) -> Double? {
    text.split(separator: " ").first.flatMap { Double($0) }
  }

  public static func oneMinute() -> Double? {
    (try? ProcFile.text("/proc/loadavg")).flatMap { oneMinute(procLoadavg: $0) }
  }
}

enum ProcFile {
  /// The whole text of a /proc file (their size is 0 to `stat`, so read to the end).
  static func text(_ path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw BenchError("cannot open \(path); load figures need Linux's /proc")
    }
    defer { try? handle.close() }
    return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
  }
}
