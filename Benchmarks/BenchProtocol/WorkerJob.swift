/// What a benchmark worker measures, passed to both sides as the same command-line flags, so
/// Workbench's worker and PyTorch's (`Benchmarks/torch_worker.py`) run the same job.
///
/// A worker builds `model` ("reference" for the reference network, or the path of a Workbench
/// graph JSON) with a random input of `batch` images, then for each of `kinds` ("train": forward
/// + loss + backward + SGD step; "infer": forward only, no gradients) runs `warmup` untimed
/// steps and then steps until both `minSteps` and `minSeconds` are reached.
public struct WorkerJob: Equatable, Sendable {
  public var model: String
  public var batch: Int
  public var kinds: [String]
  public var warmup: Int
  public var minSteps: Int
  public var minSeconds: Double
  /// Threads each side may use (OpenBLAS, OpenMP, torch.set_num_threads; the worker is also
  /// confined to this many cores when the machine has more).
  public var threads: Int

  public init(
    model: String, batch: Int, kinds: [String] = ["train", "infer"], warmup: Int = 1, minSteps: Int = 3,
    minSeconds: Double = 1, threads: Int = 2
  ) {
    (self.model, self.batch, self.kinds, self.warmup) = (model, batch, kinds, warmup)
    (self.minSteps, self.minSeconds, self.threads) = (minSteps, minSeconds, threads)
  }

  /// The flags, in the order both workers read them.
  public var arguments: [String] {
    [
      "--model", model, "--batch", "\(batch)", "--kinds", kinds.joined(separator: ","), "--warmup", "\(warmup)",
      "--min-steps", "\(minSteps)", "--min-seconds", "\(minSeconds)", "--threads", "\(threads)",
    ]
  }

  /// Reads the flags written by ``arguments`` (in any order).
  /// - Throws: ``BenchError`` naming a flag that is missing, unknown or not a number.
  public init(arguments: [String]) throws {
    var values: [String: String] = [:]
    var i = 0
    while i < arguments.count {
      let flag = arguments[i]
      guard flag.hasPrefix("--"), i + 1 < arguments.count else {
        throw BenchError("worker flag '\(flag)' needs a value (flags: \(WorkerJob.flags.joined(separator: ", ")))")
      }
      guard WorkerJob.flags.contains(flag) else {
        throw BenchError("unknown worker flag '\(flag)' (flags: \(WorkerJob.flags.joined(separator: ", ")))")
      }
      values[flag] = arguments[i + 1]
      i += 2
    }
    func value(_ flag: String) throws -> String {
      guard let v = values[flag] else { throw BenchError("the worker needs \(flag)") }
      return v
    }
    func int(_ flag: String) throws -> Int {
      guard let v = Int(try value(flag)), v >= 0 else { throw BenchError("\(flag) must be a whole number ≥ 0") }
      return v
    }
    guard let seconds = Double(try value("--min-seconds")) else { throw BenchError("--min-seconds must be a number") }
    let kinds = try value("--kinds").split(separator: ",").map(String.init)
    guard !kinds.isEmpty, kinds.allSatisfy({ $0 == "train" || $0 == "infer" }) else {
      throw BenchError("--kinds must list train and/or infer, e.g. train,infer")
    }
    self.init(
      model: try value("--model"), batch: try int("--batch"), kinds: kinds, warmup: try int("--warmup"),
      minSteps: try int("--min-steps"), minSeconds: seconds, threads: try int("--threads"))
  }

  static let flags = ["--model", "--batch", "--kinds", "--warmup", "--min-steps", "--min-seconds", "--threads"]
}
