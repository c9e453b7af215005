import Foundation
import Graph
import Images
import Support
import Tensors
import XCTest

/// Shared helpers of the ONNX tests: fixture paths, realistic weights and inputs, the Python
/// cross-check runner and the relative comparison.
enum ONNXTestSupport {
  /// The folder of committed fixtures (and the Python scripts).
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// A fresh temporary folder.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// `graph` with He-uniform conv/dense weights, small biases and non-trivial BatchNorm
  /// statistics from `seed`, so that activations keep a realistic scale through deep models.
  static func withWeights(_ graph: ModelGraph, seed: UInt64 = 11) -> ModelGraph {
    var g = graph
    var rng = RandomStream(seed: seed)
    for key in g.parameters.keys.sorted() {
      guard let p = g.parameters[key] else { continue }
      let value: Tensor<Float>
      if key.hasSuffix(".running_var") {
        value = Tensor.uniform(p.shape, low: 0.5, high: 2, rng: &rng)
      } else if key.hasSuffix(".weight") && p.shape.count >= 2 {
        let bound = Float((6.0 / Double(p.shape.dropFirst().reduce(1, *))).squareRoot())
        value = Tensor.uniform(p.shape, low: -bound, high: bound, rng: &rng)
      } else if key.hasSuffix(".weight") {
        value = Tensor.uniform(p.shape, low: 0.5, high: 1.5, rng: &rng)
      } else {
        value = Tensor.uniform(p.shape, low: -0.2, high: 0.2, rng: &rng)
      }
      g.parameters[key]?.value = value
    }
    return g
  }

  /// Two real photographs for `graph`'s input: the RGB test image and its mirror, converted to
  /// the input's channels, resized to its height and width and scaled to [0, 1].
  static func realInput(for graph: ModelGraph) throws -> Tensor<Float> {
    let shape = graph.inputs[0].shape
    let (c, h, w) = (shape[1], shape[2], shape[3])
    let path = fixtures.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("ImagesTests/Fixtures/rgb.jpg").path
    let photo = try Image(contentsOfFile: path).converted(toChannels: c).resized(width: w, height: h)
    var scalars: [Float] = []
    for image in [photo, photo.flippedHorizontally()] {
      for ch in 0..<c {
        for y in 0..<h { for x in 0..<w { scalars.append(Float(image[x: x, y: y, c: ch]) / 255) } }
      }
    }
    return Tensor(shape: [2, c, h, w], scalars: scalars)
  }

  /// The largest absolute difference divided by the largest magnitude of `reference`.
  static func relativeError(_ value: Tensor<Float>, _ reference: Tensor<Float>) -> Float {
    guard value.shape == reference.shape else { return .infinity }
    let scale = max(reference.scalars.map { abs($0) }.max() ?? 0, 1e-30)
    return (zip(value.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 0) / scale
  }

  /// A `.npy` file as a tensor.
  static func readNPY(_ url: URL) throws -> Tensor<Float> {
    let a = try NPYArray(contentsOf: url.path)
    return Tensor(shape: a.shape, scalars: a.scalars)
  }

  /// Writes `tensor` as a float32 `.npy` file.
  static func writeNPY(_ tensor: Tensor<Float>, to url: URL) throws {
    try NPYArray(shape: tensor.shape, scalars: tensor.scalars).bytes.write(to: url)
  }

  /// Skips unless `python3` imports every module in `modules`.
  static func requirePython(_ modules: [String], for purpose: String) throws {
    let check = run(["-c", "import " + modules.joined(separator: ", ")])
    guard check.status == 0 else {
      throw XCTSkip(
        "python3 cannot import \(modules.joined(separator: ", ")) (`pip install onnx onnxruntime`); \(purpose) is skipped."
      )
    }
  }

  /// Runs `python3 ARGS…`; its exit status, standard output and standard error.
  static func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    do {
      let r = try process.runCapturingOutput()
      return (r.status, r.out, r.err)
    } catch { return (-1, "", "\(error)") }
  }
}
