/// The K210's fixed numbers and the configurable memory budget of a check (`k210.md` §1, §7).
public struct K210Limits: Codable, Equatable, Sendable {
  /// KPU RAM for feature maps: 2 MiB.
  public var kpuRAM: Int = 2 * 1024 * 1024
  /// General-purpose SRAM: 6 MiB, shared by the model (weights, BN and activation tables), the
  /// CPU-side tensors, frame buffers and the application.
  public var mainRAM: Int = 6 * 1024 * 1024
  /// Main memory kept for the application, frame buffers and the runtime, not usable by the
  /// model.
  public var reserve: Int = 1024 * 1024
  /// nncase 1.9's accepted map sizes for a KPU convolution (also after pre-padding).
  public var minSide = 4, maxHeight = 256, maxWidth = 512
  /// Channel limit of the KPU's 10-bit channel fields.
  public var maxChannels = 1024

  /// The defaults above.
  public init() {}
}
