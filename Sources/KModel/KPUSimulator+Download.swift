import K210

extension KPUSimulator {
  /// Reads a map `width` wide from KPU RAM at `row` as dense NCHW uint8 (nncase's
  /// `kpu_download`, the inverse of ``upload(_:row:width:height:channels:)``).
  public func download(row: Int, width: Int, height: Int, channels: Int) throws -> [UInt8] {
    let l = KPURowLayout(width: width)
    var out = [UInt8](repeating: 0, count: channels * height * width)
    try Self.forEachPixel(
      row: row, channels: channels, height: height, width: width, groups: l.groups, rowLength: l.rowLength,
      channelRows: l.rowLength * height
    ) { i, address in out[i] = ram[address] }
    return out
  }
}
