import Charts
import RunFormat

/// The data section: task, image size, split sizes, class histogram and sample grids.
extension RunReport {
  func dataSection() -> ReportSection? {
    guard data != nil || dataSamples != nil else { return nil }
    var blocks: [Block] = []
    if let data {
      var facts: [(String, Inline)] = [("Task", .text(data.kind ?? "–"))]
      if let size = data.imageSize {
        facts.append(("Image size", .text(size.map(String.init).joined(separator: " × "))))
      }
      facts.append(
        (
          "Classes",
          .text(data.classNames.isEmpty ? "–" : "\(data.classNames.count): " + data.classNames.joined(separator: ", "))
        ))
      blocks.append(.table(.keyValues(facts)))
      let names = data.splitNames
      if !names.isEmpty {
        let rows: [[Inline]] = names.map { name in
          let s = data.splits[name]
          return [
            .strong(name), .text(s?.images.map(Format.count) ?? "–"), .text(s?.boxes.map(Format.count) ?? "–"),
            .text(s?.identities.map(Format.count) ?? "–"), .text(s?.pairs.map(Format.count) ?? "–"),
          ]
        }
        blocks.append(
          .table(
            ReportTable(
              headers: ["split", "images", "boxes", "identities", "pairs"], rows: rows, numericColumns: [1, 2, 3, 4])))
      }
      if let figure = classHistogramFigure(data) { blocks.append(.figure(figure)) }
    }
    var images: [Block] = []
    if let dataSamples {
      images.append(
        .image(
          EmbeddedImage(fileName: "data-samples.png", title: "Training samples with ground truth", png: dataSamples)))
    }
    if let predictionSamples {
      images.append(
        .image(
          EmbeddedImage(
            fileName: "prediction-samples.png", title: "Validation samples with predictions", png: predictionSamples)))
    }
    blocks += images
    return ReportSection(id: "data", title: "Data", blocks: blocks)
  }

  func classHistogramFigure(_ data: DataSummary) -> Figure? {
    let splits = data.splitNames.compactMap { name in data.splits[name]?.classHistogram.map { (name, $0) } }
    guard !splits.isEmpty else { return nil }
    let classes = splits.map(\.1.count).max() ?? 0
    let labels = (0..<classes).map { $0 < data.classNames.count ? data.classNames[$0] : "class \($0)" }
    let chart = Chart(
      title: "Class histogram", width: 640, height: 340, xAxis: Axis(label: "class"),
      yAxis: Axis(label: data.kind == "detection" ? "boxes" : "samples"),
      content: .bars(BarData(categories: labels, series: splits.map { BarSeries(name: $0.0, values: $0.1) })))
    return Figure(id: "data-class-histogram", chart: chart)
  }
}
