import Foundation

/// The benchmarks' settings, from flags or, for `make bench`, environment variables (a flag wins):
///
/// | flag | variable | meaning |
/// |---|---|---|
/// | `--strict` | `WORKBENCH_BENCH_STRICT=1` | exit 3 when any comparison was unreliable |
/// | `--rounds N` | `WORKBENCH_BENCH_ROUNDS` | alternating rounds per comparison (reference 5, growth 1), rounds per layer in the kernel section (10) |
/// | `--threads N` | `WORKBENCH_BENCH_THREADS` | threads for each side (default 2) |
/// | `--max-other-load X` | `WORKBENCH_BENCH_MAX_LOAD` | other load (cores) above which a ratio is withheld (0.25) |
/// | `--only a,b` | `WORKBENCH_BENCH_ONLY` | sections to run (WorkbenchBench: reference, kernels, growth, memory) |
/// | `--resolutions …` | `WORKBENCH_BENCH_RESOLUTIONS` | input sides of the cost-growth grid (64,96,128,224) |
/// | `--widths …` | `WORKBENCH_BENCH_WIDTHS` | width multipliers of the grid (0.25,0.5,1) |
/// | `--batches …` | `WORKBENCH_BENCH_BATCHES` | batch sizes of the memory table (8,16,32,64) |
public struct BenchOptions: Equatable, Sendable {
  public var strict = false
  /// Nil: each comparison's own default.
  public var rounds: Int?
  public var threads = 2
  public var policy = LoadPolicy()
  /// Nil: every section.
  public var only: Set<String>?
  public var resolutions = [64, 96, 128, 224]
  public var widths = [0.25, 0.5, 1]
  public var batches = [8, 16, 32, 64]

  public init() {}

  /// Reads `arguments` (without the program name) over `environment`.
  /// - Throws: ``BenchError`` for an unknown flag or a value that is not a positive number.
  public init(arguments: [String], environment: [String: String]) throws {
    var values: [String: String] = [:]
    for (flag, variable) in BenchOptions.variables {
      if let v = environment[variable], !v.isEmpty { values[flag] = v }
    }
    var i = 0
    while i < arguments.count {
      let flag = arguments[i]
      if flag == "--strict" {
        values[flag] = "1"
        i += 1
        continue
      }
      guard BenchOptions.variables[flag] != nil else {
        throw BenchError(
          "unknown flag '\(flag)'; flags: --strict, \(BenchOptions.variables.keys.sorted().filter { $0 != "--strict" }.joined(separator: ", "))"
        )
      }
      guard i + 1 < arguments.count else { throw BenchError("\(flag) needs a value") }
      values[flag] = arguments[i + 1]
      i += 2
    }
    func numbers(_ flag: String) throws -> [Double]? {
      guard let text = values[flag] else { return nil }
      let xs = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
      guard !xs.isEmpty, xs.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw BenchError("\(flag) must be positive numbers separated by commas, got '\(text)'")
      }
      return xs.compactMap { $0 }
    }
    func whole(_ flag: String) throws -> [Int]? {
      guard let xs = try numbers(flag) else { return nil }
      guard xs.allSatisfy({ $0 == $0.rounded() }) else { throw BenchError("\(flag) must be whole numbers") }
      return xs.map { Int($0) }
    }
    strict = values["--strict"].map { $0 != "0" } ?? false
    rounds = try whole("--rounds")?.first
    threads = try whole("--threads")?.first ?? threads
    policy = LoadPolicy(maxOtherCores: try numbers("--max-other-load")?.first ?? policy.maxOtherCores)
    only = values["--only"].map { Set($0.split(separator: ",").map(String.init)) }
    resolutions = try whole("--resolutions") ?? resolutions
    widths = try numbers("--widths") ?? widths
    batches = try whole("--batches") ?? batches
  }

  /// Whether section `name` runs.
  public func runs(_ name: String) -> Bool { only?.contains(name) ?? true }

  static let variables = [
    "--strict": "WORKBENCH_BENCH_STRICT", "--rounds": "WORKBENCH_BENCH_ROUNDS", "--threads": "WORKBENCH_BENCH_THREADS",
    "--max-other-load": "WORKBENCH_BENCH_MAX_LOAD", "--only": "WORKBENCH_BENCH_ONLY",
    "--resolutions": "WORKBENCH_BENCH_RESOLUTIONS", "--widths": "WORKBENCH_BENCH_WIDTHS",
    "--batches": "WORKBENCH_BENCH_BATCHES",
  ]
}
