import Charts

/// The training section: every loss term, the learning rate and each validation metric per
/// epoch, as charts and as a table.
extension RunReport {
  func trainingSection() -> ReportSection? {
    guard let history, !history.epochs.isEmpty else { return nil }
    let epochs = history.epochs.map { Double($0.epoch) }
    var figures: [Figure] = []
    let losses = history.lossNames
    let validationLosses = history.validationLossNames
    if !losses.isEmpty {
      var series = losses.enumerated().map { i, name in
        Series(name: name, x: epochs, y: history.epochs.map { $0.train[name] ?? .nan }, colorIndex: i)
      }
      // Validation loss terms dashed, in the colour of the training term of the same name.
      for name in validationLosses {
        let color = losses.firstIndex(of: name) ?? (losses.count + series.count)
        series.append(
          Series(
            name: "val \(name)", x: epochs, y: history.epochs.map { $0.validationLoss[name] ?? .nan },
            colorIndex: color, dashed: true))
      }
      figures.append(
        Figure(
          id: "training-loss",
          chart: Chart(
            title: validationLosses.isEmpty ? "Training loss terms" : "Loss terms (validation dashed)",
            xAxis: Axis(label: "epoch", integerTicks: true), yAxis: Axis(label: "loss", includesZero: true),
            content: .xy(series), showsLegend: true)))
    }
    let validation = history.validationNames
    if !validation.isEmpty {
      let series = validation.map { name in
        Series(name: name, x: epochs, y: history.epochs.map { $0.val[name] ?? .nan })
      }
      figures.append(
        Figure(
          id: "training-validation",
          chart: Chart(
            title: "Validation metrics", xAxis: Axis(label: "epoch", integerTicks: true), yAxis: Axis(label: "value"),
            content: .xy(series), showsLegend: true)))
    }
    if history.epochs.contains(where: { $0.lr != nil }) {
      let series = [Series(name: "lr", x: epochs, y: history.epochs.map { $0.lr ?? .nan }, style: .step)]
      figures.append(
        Figure(
          id: "training-lr",
          chart: Chart(
            title: "Learning rate", xAxis: Axis(label: "epoch", integerTicks: true),
            yAxis: Axis(label: "learning rate", includesZero: true), content: .xy(series))))
    }
    let hasSpeed = history.epochs.contains { $0.imagesPerSecond != nil }
    let hasSeconds = history.epochs.contains { $0.seconds != nil }
    var headers = ["epoch", "lr"]
    headers += losses.map { "train \($0)" }
    headers += validationLosses.map { "val \($0)" }
    headers += validation.map { "val \($0)" }
    if hasSpeed { headers.append("images/s") }
    if hasSeconds { headers.append("seconds") }
    let rows: [[Inline]] = history.epochs.map { e in
      var row: [Inline] = [
        .text(String(e.epoch)), .text(e.lr.map { TickFormatter.compact($0, significant: 4) } ?? "–"),
      ]
      row += losses.map { Inline.text(Format.metric(e.train[$0])) }
      row += validationLosses.map { Inline.text(Format.metric(e.validationLoss[$0])) }
      row += validation.map { Inline.text(Format.metric(e.val[$0])) }
      if hasSpeed { row.append(.text(e.imagesPerSecond.map { Format.count(Int($0.rounded())) } ?? "–")) }
      if hasSeconds { row.append(.text(Format.seconds(e.seconds))) }
      return row
    }
    let table = ReportTable(headers: headers, rows: rows, numericColumns: Set(headers.indices), sortable: true)
    return ReportSection(
      id: "training", title: "Training",
      blocks: [
        .figureRow(figures),
        history.epochs.count > 30 ? .collapsible(summary: "Per-epoch values", [.table(table)]) : .table(table),
      ])
  }
}
