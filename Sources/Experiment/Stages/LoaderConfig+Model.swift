import Datasets
import Graph

extension LoaderConfig {
  /// Loader settings that feed `graph`'s image input: its channels and size, pixel values in
  /// [0, 1], `batchSize` images per batch, in file order unless `shuffle`.
  init(feeding graph: ModelGraph, batchSize: Int, shuffle: Bool) {
    self.init()
    self.batchSize = batchSize
    self.shuffle = shuffle
    if let shape = graph.inputs.first?.shape, shape.count == 4 {
      channels = shape[1]
      height = shape[2]
      width = shape[3]
    }
  }
}
