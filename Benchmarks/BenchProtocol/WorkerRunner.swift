import Foundation

/// How to start one side's worker: a display name and the command before the job's flags,
/// e.g. `["python3", "Benchmarks/torch_worker.py"]` or the benchmark's own path and `--worker`.
public struct WorkerCommand: Equatable, Sendable {
  public var name: String
  public var command: [String]

  public init(name: String, command: [String]) { (self.name, self.command) = (name, command) }
}

/// One timed kind of a worker run and the load the machine saw while it ran.
public struct RateMeasurement: Equatable, Sendable {
  public var kind: String
  public var imagesPerSecond: Double
  public var load: WindowLoad

  public init(kind: String, imagesPerSecond: Double, load: WindowLoad) {
    (self.kind, self.imagesPerSecond, self.load) = (kind, imagesPerSecond, load)
  }
}

/// Everything one worker process reported.
public struct WorkerReport: Equatable, Sendable {
  public var side: String
  public var parameters: Int?
  public var version: String?
  public var measurements: [RateMeasurement] = []
  /// Resident memory when the model and input were built, before any step (MiB).
  public var baselineMiB: Double?
  /// The process's peak resident memory at its last result (MiB, `VmHWM`).
  public var peakMiB: Double?

  public init(side: String) { self.side = side }

  public func measurement(_ kind: String) -> RateMeasurement? { measurements.first { $0.kind == kind } }
}

/// Runs one worker process to its end, alone: the driver waits on its output and takes a load
/// snapshot when each timed kind starts and ends.
public enum WorkerRunner {
  /// The cores a `threads`-thread worker is confined to with `taskset`, or nil when it may use
  /// the whole machine (`threads` ≥ the cores).
  public static func cpuList(threads: Int, cores: Int) -> String? {
    threads >= cores || threads < 1 ? nil : threads == 1 ? "0" : "0-\(threads - 1)"
  }

  /// Runs `command` with `job`'s flags.
  /// - Throws: ``BenchError`` when the worker cannot start, reports an error or exits non-zero
  ///   (with its reason or the last line it wrote on stderr).
  public static func run(_ command: WorkerCommand, job: WorkerJob) throws -> WorkerReport {
    let process = Process()
    var argv = command.command + job.arguments
    let cores = (try? SystemCPUSnapshot.read().cores) ?? ProcessInfo.processInfo.activeProcessorCount
    if let cpus = cpuList(threads: job.threads, cores: cores), FileManager.default.isExecutableFile(atPath: taskset) {
      argv = [taskset, "-c", cpus] + argv
    }
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = argv
    var environment = ProcessInfo.processInfo.environment
    for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "\(job.threads)" }
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("wb-bench-worker-\(getpid()).err")
    guard FileManager.default.createFile(atPath: errorLog.path, contents: nil) else {
      throw BenchError("cannot create \(errorLog.path) for the \(command.name) worker's messages")
    }
    defer { try? FileManager.default.removeItem(at: errorLog) }
    process.standardError = try FileHandle(forWritingTo: errorLog)
    do { try process.run() } catch { throw BenchError("cannot start the \(command.name) worker \(argv): \(error)") }

    var report = WorkerReport(side: command.name)
    var reason: String?
    var start: LoadSnapshot?
    var lines = LineReader(output.fileHandleForReading)
    while let line = lines.next() {
      let message: WorkerMessage
      do { message = try WorkerMessage.parse(line) } catch { reason = "\(error)"; continue }
      switch message.event {
      case "ready":
        (report.parameters, report.version) = (message.parameters, message.version)
        report.baselineMiB = ProcessMemory.mib("VmRSS", pid: process.processIdentifier)
      case "start":
        start = try LoadSnapshot.now(child: process.processIdentifier)
      case "result":
        let end = try LoadSnapshot.now(child: process.processIdentifier)
        report.peakMiB = ProcessMemory.mib("VmHWM", pid: process.processIdentifier) ?? report.peakMiB
        if let start, let kind = message.kind, let ips = message.imagesPerSecond {
          report.measurements.append(
            RateMeasurement(kind: kind, imagesPerSecond: ips, load: WindowLoad(from: start, to: end)))
        }
        start = nil
      default:
        reason = message.reason ?? "the worker reported an error without a reason"
      }
    }
    process.waitUntilExit()
    if reason == nil, process.terminationStatus != 0 {
      let log = String(decoding: (try? Data(contentsOf: errorLog)) ?? Data(), as: UTF8.self)
      let last = log.split(separator: "\n").last.map(String.init) ?? "no message"
      reason = "exit status \(process.terminationStatus): \(last)"
    }
    if let reason { throw BenchError("the \(command.name) worker failed: \(reason)") }
    return report
  }

  static let taskset = "/usr/bin/taskset"
}

/// Lines of a pipe, read as they arrive.
struct LineReader {
  let handle: FileHandle
  var buffer = Data()

  init(_ handle: FileHandle) { self.handle = handle }

  mutating func next() -> String? {
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        buffer = Data(buffer[(newline + 1)...])
        return line
      }
      let chunk = handle.availableData
      if chunk.isEmpty {
        defer { buffer = Data() }
        return buffer.isEmpty ? nil : String(decoding: buffer, as: UTF8.self)
      }
      buffer.append(chunk)
    }
  }
}
