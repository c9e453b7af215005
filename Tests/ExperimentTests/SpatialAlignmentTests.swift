import Autograd
import Datasets
import Graph
import GraphTraining
import XCTest

@testable import Experiment

/// The detection pipeline must agree on where things are: a pixel at (x, y) of the input can
/// only influence the YOLO cells whose receptive field covers it, and the loader's boxes must
/// frame the drawn objects in the image tensor.
final class SpatialAlignmentTests: XCTestCase {
  func testInputPixelInfluencesTheCellAboveIt() throws {
    let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, classes: 3, inputSize: [320, 320]))
    let ex = try GraphExecutor(graph: graph, random: RandomStream(seed: 1))
    guard let input = graph.inputs.first?.name, let head = graph.outputs.last(where: { $0.role == .yolo }) else {
      return XCTFail("no input or yolo head")
    }
    var rng = RandomStream(seed: 2)
    let x = Tensor<Float>.uniform([1, 3, 320, 320], rng: &rng)
    var y = x
    for c in 0..<3 { for dy in 0..<4 { for dx in 0..<4 { y[0, c, 2 + dy, 314 + dx] += 5 } } }  // top-right corner
    let a = ex.referenceEvaluate(inputs: [input: x])[head.name]
    let b = ex.referenceEvaluate(inputs: [input: y])[head.name]
    guard let a, let b, a.rank == 4 else { return XCTFail("no head output") }
    let (h, w) = (a.shape[2], a.shape[3])
    var change = [[Float]](repeating: [Float](repeating: 0, count: w), count: h)
    for c in 0..<a.shape[1] { for i in 0..<h { for j in 0..<w { change[i][j] += abs(a[0, c, i, j] - b[0, c, i, j]) } } }
    // the top-right cell must change most; the bottom-left least
    // only cells near the top-right corner may change (the receptive field is local)
    XCTAssertGreaterThan(change[0][w - 1], 0, "change per cell: \(change)")
    XCTAssertEqual(change[h - 1][0], 0, "bottom-left cell changed: \(change)")
    XCTAssertEqual(change[h - 1][w - 1], 0, "bottom-right cell changed: \(change)")
    XCTAssertEqual(change[0][0], 0, "top-left cell changed: \(change)")
  }

  func testLoaderBoxesFrameTheObjects() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-align-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var c = ShapesConfig()
    c.trainCount = 24; c.valCount = 0; c.testCount = 0; c.noise = 0
    let path = dir.appendingPathComponent("s.h5").path
    _ = try ShapesGenerator(c).write(to: path)
    var lc = LoaderConfig()
    lc.batchSize = 24; lc.shuffle = false
    let batch = try DataLoader(path: path, split: "train", config: lc, random: RandomStream(seed: 0)).batch(0, epoch: 0)
    let split = try DatasetFile(path: path).split("train")
    var checked = 0
    for (slot, index) in batch.indices.enumerated() {
      let image = try split.image(at: index)
      for box in batch.boxes[slot] {
        // the tensor equals the stored image at the box centre (no augmentation)
        let px = min(63, Int(box.cx * 64)), py = min(63, Int(box.cy * 64))
        for ch in 0..<3 {
          XCTAssertEqual(
            batch.images[slot, ch, py, px], Float(image.pixels[(py * 64 + px) * 3 + ch]) / 255, accuracy: 1e-5)
        }
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 10)
  }
}
