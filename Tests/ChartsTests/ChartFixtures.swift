import Charts

/// Small charts shared by the renderer tests.
enum ChartFixtures {
  /// Two lines over epochs with named axes.
  static let lossChart = Chart(
    title: "Training loss", width: 480, height: 300,
    xAxis: Axis(label: "epoch"), yAxis: Axis(label: "loss"),
    content: .xy([
      Series(name: "box", x: [1, 2, 3, 4], y: [0.9, 0.6, 0.45, 0.4]),
      Series(name: "cls", x: [1, 2, 3, 4], y: [0.5, 0.3, 0.2, 0.18], style: .step),
    ]))

  /// A horizontal line at y = 0.5 over a fixed unit domain, in the first palette colour.
  static let flatLine = Chart(
    title: "flat", width: 200, height: 150, xAxis: .unit("x"), yAxis: .unit("y"),
    content: .xy([Series(name: "only", x: [0, 1], y: [0.5, 0.5])]))

  /// The same frame without any series.
  static let empty = Chart(
    title: "flat", width: 200, height: 150, xAxis: .unit("x"), yAxis: .unit("y"), content: .xy([]))
}
