import BenchProtocol
import Foundation

/// PyTorch's side of the benchmark workers: `Benchmarks/torch_worker.py` run by `python3` (or
/// the interpreter in `WORKBENCH_BENCH_PYTHON`).
public enum TorchWorker {
  public static var command: WorkerCommand {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("torch_worker.py")
    let python = ProcessInfo.processInfo.environment["WORKBENCH_BENCH_PYTHON"] ?? "python3"
    return WorkerCommand(name: "PyTorch", command: [python, script.path])
  }
}
