import K210
import Quantization

/// The KPU as the V3 runtime drives it, on a host array of the 2 MiB KPU RAM: a layer is
/// decoded from its 12 register words and the BN words and activation table they point at, its
/// input is read from KPU RAM in the row layout the words describe, the convolution, BN and
/// activation run through the bit-exact arithmetic of `k210.md` §3 (``K210ConvLayer``), the
/// pool stage by `pool_type`, and the result is written back in the write-back layout.
public struct KPUSimulator {
  /// KPU RAM size in bytes.
  public static let ramBytes = 2 * 1024 * 1024
  /// The KPU RAM.
  public var ram = [UInt8](repeating: 0, count: ramBytes)

  public init() {}

  /// Writes dense NCHW uint8 data into KPU RAM at `row` in the row layout of a map `width` wide
  /// (the SDK's `kpu_upload_core`).
  public mutating func upload(_ data: ArraySlice<UInt8>, row: Int, width: Int, height: Int, channels: Int) throws {
    let l = KPURowLayout(width: width)
    try Self.forEachPixel(
      row: row, channels: channels, height: height, width: width, groups: l.groups, rowLength: l.rowLength,
      channelRows: l.rowLength * height
    ) { i, address in ram[address] = data[data.startIndex + i] }
  }

  /// Visits (dense index, KPU RAM address) of every pixel of a map in a row layout.
  static func forEachPixel(
    row: Int, channels: Int, height: Int, width: Int, groups: Int, rowLength: Int, channelRows: Int,
    _ body: (Int, Int) throws -> Void
  ) throws {
    guard groups > 0, 64 % groups == 0 else { throw KModelError.malformed("a row layout with \(groups) groups") }
    let pitch = 64 / groups
    let last =
      row * 64 + ((channels - 1) / groups) * channelRows * 64 + ((channels - 1) % groups) * pitch
      + (height - 1) * rowLength * 64 + width - 1
    guard last < Self.ramBytes else {
      throw KModelError.kpuMemory("a \(channels)×\(height)×\(width) map at row \(row) runs past the end of KPU RAM")
    }
    var i = 0
    for c in 0..<channels {
      let base = row * 64 + (c / groups) * channelRows * 64 + (c % groups) * pitch
      for y in 0..<height {
        for x in 0..<width {
          try body(i, base + y * rowLength * 64 + x)
          i += 1
        }
      }
    }
  }

  /// Runs one layer whose weights, BN words and activation table are given; returns the output
  /// (after pooling) as dense NCHW, also written to KPU RAM at `image_dst_addr`.
  public mutating func run(_ a: KPULayerArgument, weights: [UInt8], batchNorm: [UInt64], activation: [UInt8])
    throws -> [UInt8]
  {
    let (ic, oc, h, w) = (a.inputChannels, a.outputChannels, a.inputHeight, a.inputWidth)
    guard a.kernelType == 0 || a.kernelType == 1 else {
      throw KModelError.malformed("kernel_type \(a.kernelType) (the KPU has 0 = 1×1 and 1 = 3×3)")
    }
    let depthwise = a.depthwise == 1
    guard !depthwise || ic == oc else {
      throw KModelError.malformed("a depthwise layer with \(ic) input and \(oc) output channels")
    }
    var input = [UInt8](repeating: 0, count: ic * h * w)
    try Self.forEachPixel(
      row: a.imageSourceAddress, channels: ic, height: h, width: w, groups: a.coefficientGroup,
      rowLength: a.rowSwitchAddress, channelRows: a.channelSwitchAddress
    ) { i, address in input[i] = ram[address] }
    let layer = K210ConvLayer(
      inChannels: ic, outChannels: oc, filter: a.filter, depthwise: depthwise, weights: weights,
      argX: Int64(a.argX), shiftX: a.shiftX, argW: Int64(a.argW), shiftW: a.shiftW, argAdd: Int64(a.argAdd),
      padValue: UInt8(a.padValue), batchNorm: batchNorm.map(KPUTables.batchNorm),
      activation: try KPUTables.activationTable(activation[...]))
    let conv = layer.run(input, height: h, width: w)
    let out = try KPUPool.run(
      type: a.poolType, conv, channels: oc, height: h, width: w, outHeight: a.outputHeight, outWidth: a.outputWidth)
    try Self.forEachPixel(
      row: a.imageDestinationAddress, channels: oc, height: a.outputHeight, width: a.outputWidth,
      groups: a.writeBackGroup, rowLength: a.writeBackRowSwitchAddress, channelRows: a.writeBackChannelSwitchAddress
    ) { i, address in ram[address] = out[i] }
    return out
  }
}
