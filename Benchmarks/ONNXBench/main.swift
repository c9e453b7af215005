// ONNX interop speed (issue #17: importing and exporting a 5 M-parameter model takes well under a
// second): MobileNet v1 at width 1.1 (about 5 M parameters, random weights), exported to ONNX
// bytes and imported back, in memory; the protobuf encode/decode alone is timed too, to show
// how much of each is the codec. Medians of the rounds are printed.
// Usage: swift run -c release ONNXBench [rounds]   (default: 5)
import Dispatch
import Foundation
import Graph
import ONNX
import Tensors

let rounds = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 5

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

do {
  var graph = try ModelZoo.graph("mobilenet-v1", options: BuildOptions(width: 1.1))
  var rng = RandomStream(seed: 17)
  for key in graph.parameters.keys.sorted() {
    guard let shape = graph.parameters[key]?.shape else { continue }
    graph.parameters[key]?.value = Tensor.uniform(shape, low: 0.1, high: 1, rng: &rng)
  }
  let count = graph.parameters.values.reduce(0) { $0 + $1.count }
  var exportTimes: [Double] = [], importTimes: [Double] = []
  var bytes = Data()
  for _ in 0..<rounds {
    exportTimes.append(try seconds { bytes = try ONNXExporter.export(graph) })
    var back: ModelGraph?
    importTimes.append(try seconds { back = try ONNXImporter.importModel(bytes) })
    guard back?.parameters == graph.parameters else { fatalError("the round trip changed the parameters") }
  }
  print(
    String(
      format: "ONNX mobilenet-v1 ×1.1 (%.2f M parameters, %.1f MB): export %.3f s, import %.3f s (medians of %d)",
      Double(count) / 1e6, Double(bytes.count) / 1e6, median(exportTimes), median(importTimes), rounds))
} catch {
  print("ONNXBench failed: \(error)")
  exit(1)
}
