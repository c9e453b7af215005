import Graph
import RunFormat

extension SensitivityRecord {
  /// The record of `table`, measured with KPI `kpi` on `samples` images.
  init(_ table: SensitivityTable, kpi: String, samples: Int) {
    self.init(
      kpi: kpi, samples: samples, baseline: table.baseline, ratios: table.ratios,
      curves: table.curves.map { c in
        Curve(
          group: c.group, channels: c.channels,
          points: c.points.map { Point(ratio: $0.ratio, channels: $0.channels, kpi: $0.kpi) })
      })
  }

  /// Graph's table, for choosing ratios.
  var table: SensitivityTable {
    SensitivityTable(
      baseline: baseline, ratios: ratios,
      curves: curves.map { c in
        SensitivityCurve(
          group: c.group, channels: c.channels,
          points: c.points.map { SensitivityCurve.Point(ratio: $0.ratio, channels: $0.channels, kpi: $0.kpi) })
      })
  }
}
