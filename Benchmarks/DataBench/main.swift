// Loader benchmark: augmented 64×64 RGB images per second from HDF5 on one core.
// Usage: swift run -c release DataBench [images] [epochs]
// Target (issue: Datasets loader): at least 5,000 images/s with prefetch off (one core).
import Datasets
import Dispatch
import Foundation
import Tensors

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let imageCount = arguments.first ?? 4000
let epochs = arguments.dropFirst().first ?? 3
let directory = NSTemporaryDirectory() + "databench-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let path = directory + "/shapes.h5"

var shapes = ShapesConfig()
shapes.trainCount = imageCount
shapes.valCount = 0
shapes.testCount = 0
var clock = DispatchTime.now()
try ShapesGenerator(shapes).write(to: path)
func seconds(since start: DispatchTime) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
print(String(format: "generated %d shapes images (64x64x3) in %.2f s", imageCount, seconds(since: clock)))

var config = LoaderConfig()
config.batchSize = 64
config.prefetch = 0  // one core: everything on this thread
config.augmentation.flipProbability = 0.5
config.augmentation.minScale = 0.75
config.augmentation.maxScale = 1.25
config.augmentation.translate = 0.1
config.augmentation.brightness = 0.1
config.augmentation.contrast = 0.2
config.augmentation.hue = 0.02
config.augmentation.saturation = 0.3
config.augmentation.value = 0.2
config.mean = [0.5]
config.std = [0.25]

let loader = try DataLoader(path: path, split: "train", config: config, random: RandomStream(seed: 1))
var images = 0
var checksum: Float = 0
clock = DispatchTime.now()
for epoch in 0..<epochs {
  let iterator = loader.epoch(epoch)
  while let batch = try iterator.next() {
    images += batch.count
    checksum += batch.images.scalars[0]
  }
}
let rate = Double(images) / seconds(since: clock)
print(
  String(
    format: "loader: %d augmented images in %d epochs, %.0f images/s (target 5000) checksum %.4f", images, epochs, rate,
    checksum))
print(rate >= 5000 ? "PASS" : "BELOW TARGET")
