import Charts
import Foundation
import Support

/// The charts of a sweep report: the Pareto scatter, the parallel coordinates of all trials,
/// the hyperparameter importance bars and each parameter's marginal plots. The HTML report
/// draws them inline as SVG; the Markdown report links the PNG files ``write(_:to:)`` makes.
public enum SweepReportFigures {
  /// A figure: its file stem under `figures/` and its chart.
  public struct Figure {
    public var id: String
    public var chart: Chart
  }

  /// The figures of one report, each present when the results allow it.
  public struct Page {
    public var pareto: Figure?, parallel: Figure?, importance: Figure?
    public var marginals: [Figure]

    /// Every figure, in page order.
    public var figures: [Figure] { [pareto, parallel, importance].compactMap { $0 } + marginals }
  }

  /// The report's figures, from the results and their importance.
  public static func all(_ r: SweepResults, importance: SweepImportance?) -> Page {
    Page(
      pareto: paretoChart(r).map { Figure(id: "pareto", chart: $0) },
      parallel: parallelChart(r).map { Figure(id: "parallel-coordinates", chart: $0) },
      importance: importance.map { Figure(id: "importance", chart: importanceChart($0, r)) },
      marginals: importance.map { marginalCharts($0, r) } ?? [])
  }

  /// Writes every figure as `figures/<id>.png` (scale 2) into the sweep folder.
  public static func write(_ r: SweepResults, to directory: URL) throws {
    let figures = all(r, importance: SweepImportance.compute(r)).figures
    guard !figures.isEmpty else { return }
    let folder = directory.appendingPathComponent("figures")
    try FileSystem.createFolder(folder, "the sweep's figures folder")
    for figure in figures {
      let png = try PNGRenderer.render(ChartLayout.layout(figure.chart), scale: 2)
      try AtomicFile.write(png, to: folder.appendingPathComponent("\(figure.id).png"), "a sweep figure")
    }
  }

  /// The first two objectives of the succeeded trials as a scatter, with the front of those two
  /// objectives drawn as a line through its points.
  static func paretoChart(_ r: SweepResults) -> Chart? {
    guard r.objectives.count >= 2 else { return nil }
    let (a, b) = (r.objectives[0], r.objectives[1])
    let done = r.trials.filter {
      $0.status == "succeeded" && $0.objectives[a.metric]?.isFinite == true && $0.objectives[b.metric]?.isFinite == true
    }
    guard !done.isEmpty else { return nil }
    let x = done.map { $0.objectives[a.metric] ?? 0 }, y = done.map { $0.objectives[b.metric] ?? 0 }
    let feasible = done.indices.filter { done[$0].feasible }
    let front = Pareto.front(feasible.map { [x[$0], y[$0]] }, directions: [a.direction, b.direction])
      .map { feasible[$0] }.sorted { x[$0] < x[$1] }
    return Chart(
      title: "Pareto front: \(a.metric) (\(a.direction.rawValue)) vs \(b.metric) (\(b.direction.rawValue))",
      width: 640, height: 400, xAxis: Axis(label: a.metric), yAxis: Axis(label: b.metric),
      content: .xy([
        Series(name: "trials", x: x, y: y, style: .scatter, colorIndex: 0),
        Series(name: "Pareto front", x: front.map { x[$0] }, y: front.map { y[$0] }, style: .line, colorIndex: 1),
      ]), showsLegend: true)
  }

  /// One axis per swept parameter (categorical for value lists, log for log-uniform ranges)
  /// and per objective (upside down for objectives to minimise, so better is up on every
  /// objective axis), one line per succeeded trial, the Pareto front highlighted.
  static func parallelChart(_ r: SweepResults) -> Chart? {
    let done = r.trials.filter { $0.status == "succeeded" }
    let paths = r.parameterPaths
    guard !done.isEmpty, paths.count + r.objectives.count >= 2 else { return nil }
    var dims: [ParallelCoordinates.Dimension] = paths.map { path in
      let axis = r.axis(path)
      let values = done.map { $0.settings[path] ?? .null }
      switch axis.kind {
      case .values:
        // every listed value is a level, even one no succeeded trial reached
        var listed = axis.values ?? []
        for v in values where !listed.contains(v) { listed.append(v) }
        let index = values.map { v in listed.firstIndex(of: v).map(Double.init) ?? .nan }
        return .init(name: path, scale: .categorical(listed.map(SweepImportance.label)), values: index)
      case .uniform:
        return .init(name: path, scale: .linear, values: values.map { $0.doubleValue ?? .nan })
      case .logUniform:
        return .init(name: path, scale: .log, values: values.map { $0.doubleValue ?? .nan })
      }
    }
    dims += r.objectives.map { o in
      ParallelCoordinates.Dimension(
        name: "\(o.metric) (\(o.direction.rawValue))", scale: .linear,
        values: done.map { $0.objectives[o.metric] ?? .nan }, inverted: o.direction == .min)
    }
    let pc = ParallelCoordinates(
      dimensions: dims, highlighted: done.map { r.pareto.contains($0.id) }, itemName: "trials",
      highlightName: r.objectives.count > 1 ? "Pareto front" : "best")
    return Chart(
      title: "All trials: parameters and objectives", width: max(640, 170 * Double(dims.count) + 120), height: 380,
      content: .parallelCoordinates(pc), showsLegend: true)
  }

  /// Each parameter's share of each objective's variance, one bar per objective.
  static func importanceChart(_ imp: SweepImportance, _ r: SweepResults) -> Chart {
    let series = r.objectives.map { o in
      BarSeries(name: o.metric, values: imp.parameters.map { ($0.shares[o.metric] ?? nil) ?? .nan })
    }
    return Chart(
      title: "Hyperparameter importance (main-effect variance share)", width: 640, height: 320,
      yAxis: Axis(label: "share of variance", domain: 0...1),
      content: .bars(BarData(categories: imp.parameters.map(\.path), series: series)), showsLegend: true)
  }

  /// For each parameter and objective: every trial's objective against the parameter (log10 of
  /// it for log-uniform ranges) with the level means joined by a line; bars of the level means
  /// for non-numeric parameters.
  static func marginalCharts(_ imp: SweepImportance, _ r: SweepResults) -> [Figure] {
    let done = r.trials.filter { $0.status == "succeeded" }
    var out: [Figure] = []
    for (k, p) in imp.parameters.enumerated() {
      let log = p.axis.kind == .logUniform
      let numeric = p.levels.allSatisfy { $0.center != nil }
      for (j, o) in r.objectives.enumerated() {
        let title = "\(o.metric) by \(p.path)"
        let id = "marginal-\(k + 1)-\(j + 1)"
        guard numeric else {
          let bars = BarData(
            categories: p.levels.map(\.label),
            series: [BarSeries(name: "mean", values: p.levels.map { $0.means[o.metric] ?? .nan })])
          out.append(
            Figure(
              id: id,
              chart: Chart(title: title, width: 360, height: 250, yAxis: Axis(label: o.metric), content: .bars(bars))))
          continue
        }
        func x(_ v: Double) -> Double { log ? log10(v) : v }
        let points = done.compactMap { t -> (Double, Double)? in
          guard let v = t.settings[p.path]?.doubleValue, let y = t.objectives[o.metric], y.isFinite else { return nil }
          return (x(v), y)
        }
        let means = p.levels.map { (x($0.center ?? .nan), $0.means[o.metric] ?? .nan) }.sorted { $0.0 < $1.0 }
        let chart = Chart(
          title: title, width: 360, height: 250, xAxis: Axis(label: log ? "log10(\(p.path))" : p.path),
          yAxis: Axis(label: o.metric),
          content: .xy([
            Series(name: "trials", x: points.map { $0.0 }, y: points.map { $0.1 }, style: .scatter, colorIndex: 0),
            Series(name: "level mean", x: means.map { $0.0 }, y: means.map { $0.1 }, style: .line, colorIndex: 1),
          ]), showsLegend: false)
        out.append(Figure(id: id, chart: chart))
      }
    }
    return out
  }
}
