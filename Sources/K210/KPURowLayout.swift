/// How a feature map is laid out in the K210's 2 MiB KPU RAM (nncase 1.9
/// `get_kpu_row_layout` / `get_kpu_rows`; v0.1 `K210Helper.cs`; `k210.md` §2): memory is
/// addressed in 64-byte rows; narrow maps pack 2 or 4 channels into one row.
///
/// | width W | channels per row | 64-byte rows per image row | channel pitch in a row |
/// |---|---|---|---|
/// | W ≤ 16 | 4 | 1 | 16 |
/// | 16 < W ≤ 32 | 2 | 1 | 32 |
/// | W > 32 | 1 | ⌈W / 64⌉ | 64 |
public struct KPURowLayout: Equatable, Sendable {
  /// Channels sharing one 64-byte row.
  public var groups: Int
  /// 64-byte rows per image row.
  public var rowLength: Int
  /// Bytes between two channels packed in one row.
  public var rowPitch: Int

  /// The layout of a map `width` pixels wide.
  public init(width: Int) {
    if width <= 16 {
      (groups, rowLength, rowPitch) = (4, 1, 16)
    } else if width <= 32 {
      (groups, rowLength, rowPitch) = (2, 1, 32)
    } else {
      (groups, rowLength, rowPitch) = (1, (width + 63) / 64, 64)
    }
  }

  /// Bytes a uint8 map of `channels` × `height` × `width` occupies in KPU RAM:
  /// `rowLength · H · ⌈C / min(C, groups)⌉ · 64`.
  public static func bytes(channels: Int, height: Int, width: Int) -> Int {
    let l = KPURowLayout(width: width)
    let perRow = min(channels, l.groups)
    return l.rowLength * height * ((channels + perRow - 1) / perRow) * 64
  }

  /// Whether the layout is plain NCHW (W a multiple of 64), so data can be uploaded by DMA
  /// instead of being rewritten by the CPU.
  public static func isPlain(width: Int) -> Bool { width % 64 == 0 }
}
