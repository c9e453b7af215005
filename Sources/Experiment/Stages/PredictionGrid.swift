import Datasets
import Geometry
import Images
import Metrics

/// A grid of evaluation images with ground truth (thin white boxes) and the model's detections
/// at the operating-point confidence (boxes in the class colour, labelled "class score"), for
/// the report: what the numbers look like.
enum PredictionGrid {
  static func render(
    split: DatasetSplit, indices: [Int], groundTruth: [Int: [Box]], detections: [Int: [DecodedDetection]],
    inputSize: (width: Int, height: Int), classNames: [String], minScore: Float, cell: Int = 128
  ) throws -> Image {
    try Image.grid(count: indices.count, cell: cell) { k in
      let index = indices[k]
      var tile = try split.image(at: index).converted(toChannels: 3).resized(width: cell, height: cell)
      let s = Float(cell)
      for b in groundTruth[index] ?? [] {
        tile.strokeRectangle(x0: Int(b.x0 * s), y0: Int(b.y0 * s), x1: Int(b.x1 * s), y1: Int(b.y1 * s), color: .white)
      }
      for d in (detections[index] ?? []) where d.score >= minScore {
        let color = Color.palette[d.classIndex % Color.palette.count]
        let name = d.classIndex < classNames.count ? classNames[d.classIndex] : "\(d.classIndex)"
        tile.drawLabelledBox(
          x0: Int(d.x1 / Float(inputSize.width) * s), y0: Int(d.y1 / Float(inputSize.height) * s),
          x1: Int(d.x2 / Float(inputSize.width) * s), y1: Int(d.y2 / Float(inputSize.height) * s),
          label: "\(name.prefix(4)) \(Int((d.score * 100).rounded()))", color: color)
      }
      return tile
    }
  }
}
