import Charts

/// The training section: every loss term, the learning rate and each validation metric per
/// epoch, as charts and as a table.
extension RunReport {
  func trainingSection() -> ReportSection? {
    guard let history, !history.epochs.isEmpty else { return nil }
    let epochs = history.epochs.map { Double($0.epoch) }
    var figures: [Figure] = []
    let losses = history.lossNames
    if !losses.isEmpty {
      let series = losses.map { name in Series(name: name, x: epochs, y: history.epochs.map { $0.train[name] ?? .nan }) }
      figures.append(Figure(id: "training-loss", chart: Chart(title: "Training loss terms", xAxis: Axis(label: "epoch", integerTicks: true), yAxis: Axis(label: "loss", includesZero: true), content: .xy(series), showsLegend: true)))
    }
    let validation = history.validationNames
    if !validation.isEmpty {
      let series = validation.map { name in Series(name: name, x: epochs, y: history.epochs.map { $0.val[name] ?? .nan }) }
      figures.append(Figure(id: "training-validation", chart: Chart(title: "Validation metrics", xAxis: Axis(label: "epoch", integerTicks: true), yAxis: Axis(label: "value"), content: .xy(series), showsLegend: true)))
    }
    if history.epochs.contains(where: { $0.lr != nil }) {
      let series = [Series(name: "lr", x: epochs, y: history.epochs.map { $0.lr ?? .nan }, style: .step)]
      figures.append(Figure(id: "training-lr", chart: Chart(title: "Learning rate", xAxis: Axis(label: "epoch", integerTicks: true), yAxis: Axis(label: "learning rate", includesZero: true), content: .xy(series))))
    }
    let hasSpeed = history.epochs.contains { $0.imagesPerSecond != nil }
    let headers = ["epoch", "lr"] + losses.map { "train \($0)" } + validation.map { "val \($0)" } + (hasSpeed ? ["images/s"] : [])
    let rows: [[Inline]] = history.epochs.map { e in
      [.text(String(e.epoch)), .text(e.lr.map { TickFormatter.compact($0, significant: 4) } ?? "–")]
        + losses.map { .text(Format.metric(e.train[$0])) } + validation.map { .text(Format.metric(e.val[$0])) }
        + (hasSpeed ? [.text(e.imagesPerSecond.map { Format.count(Int($0.rounded())) } ?? "–")] : [])
    }
    let table = ReportTable(headers: headers, rows: rows, numericColumns: Set(headers.indices), sortable: true)
    return ReportSection(
      id: "training", title: "Training",
      blocks: [.figureRow(figures), history.epochs.count > 30 ? .collapsible(summary: "Per-epoch values", [.table(table)]) : .table(table)])
  }
}
