/// How an application runs a model frame after frame on the K210: the progression of the
/// Kapernikov traffic-counting article (issue #14's seed story; `k210.md` §8), each step one
/// change to the previous one.
public enum K210Scenario: String, Codable, CaseIterable, Sendable {
  /// One core does everything in turn and asks the camera for a frame only when it is done
  /// (MaixPy's `sensor.snapshot()` loop): the request waits for the next frame start, then for
  /// a whole frame.
  case sequential
  /// The camera fills a second frame buffer while the core works on the previous frame.
  case cameraOverlap = "camera-overlap"
  /// The model (upload, KPU layers and its CPU ops) runs on the second core; the first
  /// preprocesses the next frame and post-processes the previous one (one more input buffer).
  case dualCore = "dual-core"
  /// As `dual-core`, and the input is copied into KPU RAM by DMA while the KPU is still busy
  /// with the previous frame (a second input region in KPU RAM).
  case dmaUpload = "dma-upload"

  /// One sentence for reports.
  public var summary: String {
    switch self {
    case .sequential: return "one core, camera asked for a frame after each result"
    case .cameraOverlap: return "camera captures the next frame while the core works (2 frame buffers)"
    case .dualCore: return "model on core 1, pre/post-processing on core 0 (2 input buffers)"
    case .dmaUpload: return "as dual-core, input uploaded by DMA while the KPU runs the previous frame"
    }
  }

  /// Camera frame buffers, model input buffers and input regions in KPU RAM.
  var buffers: (camera: Int, input: Int, kpuInput: Int) {
    switch self {
    case .sequential: return (1, 1, 1)
    case .cameraOverlap: return (2, 1, 1)
    case .dualCore: return (2, 2, 1)
    case .dmaUpload: return (2, 2, 2)
    }
  }
}
