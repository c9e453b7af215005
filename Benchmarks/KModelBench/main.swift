// K210 simulator speed (issue #14: our simulator runs the yolo kmodel at least as fast as
// nncase.Simulator 1.9): tiny-yolo-shapes (half width, 128×128, random weights) quantized with
// the k210 scheme and written as a kmodel V5, run by `KModelV5Simulator` in this process and by
// `nncase.Simulator` in a Python child (WORKBENCH_NNCASE_PYTHON, as `make test` sets it) on the
// same file and input. The two sides alternate, one at a time (the child is not alive while we
// measure); each prints the best and the median per-run time of its rounds.
// Usage: swift run -c release KModelBench [rounds]   (default: 3 rounds of 20 runs)
import Dispatch
import Foundation
import Graph
import KModel
import Quantization
import Support
import Tensors

let rounds = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 3
let runs = 20

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// Milliseconds per run of nncase.Simulator on `kmodel` with `input`, from a child process.
func nncase(_ python: String, kmodel: URL, input: URL) throws -> Double {
  let script = """
    import sys, time, numpy as np
    import nncase
    sim = nncase.Simulator()
    sim.load_model(open(sys.argv[1], 'rb').read())
    x = np.load(sys.argv[2])
    sim.set_input_tensor(0, nncase.RuntimeTensor.from_numpy(x))
    sim.run()
    start = time.perf_counter()
    for _ in range(int(sys.argv[3])):
        sim.run()
    print((time.perf_counter() - start) * 1000 / int(sys.argv[3]))
    """
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = ["-c", script, kmodel.path, input.path, "\(runs)"]
  let pipe = Pipe()
  process.standardOutput = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0,
    let ms = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  else { throw KModelError.badInput("nncase.Simulator did not run (exit \(process.terminationStatus))") }
  return ms
}

do {
  var graph = try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: 0.5, inputSize: [128, 128]))
  var rng = RandomStream(seed: 17)
  for key in graph.parameters.keys.sorted() {
    guard let shape = graph.parameters[key]?.shape else { continue }
    graph.parameters[key]?.value = Tensor.uniform(shape, low: -0.3, high: 0.3, rng: &rng)
      .map { key.hasSuffix("running_var") ? abs($0) + 0.5 : $0 }
  }
  graph = try FoldBatchNorm.run(graph)
  let input = Tensor.uniform([1, 3, 128, 128], low: 0, high: 1, rng: &rng)
  let ranges = try Calibrator.ranges(
    try Calibrator.collect(graph, batches: [["image": input]]), settings: CalibrationSettings())
  let bytes = try KModelV5Writer.bytes(try K210Executor(graph, ranges: ranges))
  let simulator = try KModelV5Simulator(bytes: bytes)
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kmodel-bench-\(getpid())")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let kmodel = dir.appendingPathComponent("yolo.kmodel"), npy = dir.appendingPathComponent("input.npy")
  try Data(bytes).write(to: kmodel)
  try NPYArray(shape: [1, 3, 128, 128], scalars: input.scalars).bytes.write(to: npy)
  let python = ProcessInfo.processInfo.environment["WORKBENCH_NNCASE_PYTHON"] ?? ""
  var ours: [Double] = [], theirs: [Double] = []
  _ = try simulator.run(input.scalars)
  for round in 0..<rounds {
    func measureOurs() throws {
      let start = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<runs { _ = try simulator.run(input.scalars) }
      ours.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(runs))
    }
    if round % 2 == 0 { try measureOurs() }
    if !python.isEmpty { theirs.append(try nncase(python, kmodel: kmodel, input: npy)) }
    if round % 2 == 1 { try measureOurs() }
  }
  print(
    String(
      format: "kmodel V5 tiny-yolo-shapes ×0.5 128×128 (%d bytes): ours %.1f ms per run (best; median %.1f)",
      bytes.count, ours.min() ?? 0, median(ours)))
  if theirs.isEmpty {
    print("nncase.Simulator: not measured (set WORKBENCH_NNCASE_PYTHON to a Python with nncase 1.9)")
  } else {
    print(
      String(
        format: "nncase.Simulator 1.9: %.1f ms per run (best; median %.1f); ours is %.2f× as fast (best against best)",
        theirs.min() ?? 0, median(theirs), (theirs.min() ?? 0) / (ours.min() ?? 1)))
  }
} catch {
  FileHandle.standardError.write(Data("KModelBench: \(error)\n".utf8))
  exit(1)
}
