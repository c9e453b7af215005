import Autograd
import BenchProtocol
import Foundation
import Graph

/// Workbench's side of a benchmark worker: a bench executable started with `--worker` followed
/// by a ``WorkerJob``'s flags builds the model, times it and writes ``WorkerMessage`` lines, the
/// protocol `Benchmarks/torch_worker.py` follows for PyTorch.
public enum OursWorker {
  /// The worker command that re-runs this executable, for ``Comparison/run``.
  public static var command: WorkerCommand {
    WorkerCommand(name: "Workbench", command: [Bundle.main.executablePath ?? CommandLine.arguments[0], "--worker"])
  }

  /// Runs the worker and exits when the process was started as one; returns otherwise.
  public static func runIfRequested() {
    let args = CommandLine.arguments
    guard args.count > 1, args[1] == "--worker" else { return }
    do {
      try run(try WorkerJob(arguments: Array(args.dropFirst(2))))
      exit(0)
    } catch {
      emit(["event": "error", "reason": "\(error)"])
      exit(1)
    }
  }

  static func run(_ job: WorkerJob) throws {
    let train: () -> Void, infer: () -> Void, parameters: Int
    if job.model == "reference" {
      var rng = RandomStream(seed: 1).split("bench-input")
      let input = Tensor<Float>.normal([job.batch, 3, 64, 64], rng: &rng)
      let net = ReferenceNetwork(seed: 1)
      train = { _ = net.trainStep(input) }
      infer = { _ = withoutGradients { net.forward(Variable(input), training: false) } }
      parameters = net.parameters.reduce(0) { $0 + $1.value.count }
    } else {
      let step = try GraphStep(graph: try ModelGraph.read(URL(fileURLWithPath: job.model)), batch: job.batch)
      train = step.trainStep
      infer = step.inferStep
      parameters = step.parameterCount
    }
    emit(["event": "ready", "parameters": parameters, "version": "Workbench"])
    for kind in job.kinds {
      let step = kind == "train" ? train : infer
      for _ in 0..<job.warmup { step() }
      emit(["event": "start", "kind": kind])
      let t0 = DispatchTime.now().uptimeNanoseconds
      var steps = 0, seconds = 0.0
      repeat {
        step()
        steps += 1
        seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
      } while steps < job.minSteps || seconds < job.minSeconds
      emit(["event": "result", "kind": kind, "images": steps * job.batch, "seconds": seconds, "steps": steps])
    }
  }

  static func emit(_ object: [String: Any]) {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}
