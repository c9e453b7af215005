import XCTest

@testable import K210

/// The frame-pipeline simulation against the seed story's published progression and against
/// schedules worked out by hand.
final class K210PipelineTests: XCTestCase {
  /// The Kapernikov article (issue #14): a yolo3-tiny variant at 134 ms per frame run
  /// sequentially; overlapping the camera saved 41 ms, moving YOLO to the second core 10 ms
  /// more, uploading by DMA while the KPU is busy reached 13.33 fps. A frame whose work is
  /// 5 ms preprocessing, 8 ms CPU upload, 75 ms model and 5 ms post-processing reproduces all
  /// four numbers: sequential = the 93 ms of work rounded up to the next 33.3 ms frame start
  /// (100 ms) plus one frame of capture.
  func testReproducesTheSeedProgression() {
    let work = K210Pipeline.Work(
      preprocessMs: 5, uploadCPUMs: 8, uploadDMAMs: 0.5, modelMs: 75, kpuMs: 60, postprocessMs: 5,
      frameBytes: 150_528, inputBytes: 150_528, kpuInputBytes: 200_704)
    let pipeline = K210Pipeline(work: work, cameraFPS: 30)
    let r = Dictionary(uniqueKeysWithValues: pipeline.results().map { ($0.scenario, $0) })
    XCTAssertEqual(r[.sequential]?.periodMs ?? 0, 133.33, accuracy: 0.01)
    XCTAssertEqual(r[.cameraOverlap]?.periodMs ?? 0, 93, accuracy: 0.01)
    XCTAssertEqual(r[.dualCore]?.periodMs ?? 0, 83, accuracy: 0.01)
    XCTAssertEqual(r[.dmaUpload]?.periodMs ?? 0, 75, accuracy: 0.01)
    XCTAssertEqual(r[.dmaUpload]?.fps ?? 0, 13.33, accuracy: 0.01)
    // each step adds one buffer of the frame's size, as in the story (147 KB each)
    XCTAssertEqual(r[.sequential]?.bufferBytes, 2 * 150_528)
    XCTAssertEqual(r[.cameraOverlap]?.bufferBytes, 3 * 150_528)
    XCTAssertEqual(r[.dualCore]?.bufferBytes, 4 * 150_528)
    XCTAssertEqual(r[.dmaUpload]?.kpuInputBytes, 2 * 200_704)
    // sequential latency: one frame of capture then the 93 ms of work
    XCTAssertEqual(r[.sequential]?.latencyMs ?? 0, 33.33 + 93, accuracy: 0.01)
    // with the model on core 1 and DMA, core 1 never waits: the model runs back to back
    XCTAssertEqual(r[.dmaUpload]?.utilisation["core 1"] ?? 0, 1, accuracy: 1e-9)
    XCTAssertEqual(r[.dmaUpload]?.utilisation["KPU"] ?? 0, 60.0 / 75, accuracy: 1e-9)
  }

  /// A model faster than the camera: every scenario but `sequential` is camera-bound at 30 fps.
  /// Worked by hand for `camera-overlap`: a frame captured over [0, 33.3] is preprocessed
  /// (1 ms), uploaded (2 ms), run (10 ms) and post-processed (1 ms): the result is at
  /// 33.3 + 14 ms, every 33.3 ms.
  func testCameraBoundPipelineByHand() {
    let work = K210Pipeline.Work(
      preprocessMs: 1, uploadCPUMs: 2, uploadDMAMs: 0.1, modelMs: 10, kpuMs: 8, postprocessMs: 1,
      frameBytes: 27_648, inputBytes: 27_648, kpuInputBytes: 36_864)
    let pipeline = K210Pipeline(work: work)
    let overlap = pipeline.run(.cameraOverlap)
    XCTAssertEqual(overlap.periodMs, 1000.0 / 30, accuracy: 1e-6)
    XCTAssertEqual(overlap.latencyMs, 1000.0 / 30 + 14, accuracy: 1e-6)
    XCTAssertEqual(overlap.droppedShare, 0, accuracy: 1e-9)
    XCTAssertEqual(overlap.utilisation["core 0"] ?? 0, 14 / (1000.0 / 30), accuracy: 1e-6)
    // sequential: 14 ms of work, then wait for the next frame start (33.3), then capture it
    let sequential = pipeline.run(.sequential)
    XCTAssertEqual(sequential.periodMs, 2000.0 / 30, accuracy: 1e-6)
    XCTAssertEqual(sequential.fps, 15, accuracy: 1e-6)
    XCTAssertEqual(sequential.droppedShare, 0.5, accuracy: 1e-6)
    // DMA: the upload leaves core 1; latency = capture + 1 + 0.1 + 10 + 1
    let dma = pipeline.run(.dmaUpload)
    XCTAssertEqual(dma.periodMs, 1000.0 / 30, accuracy: 1e-6)
    XCTAssertEqual(dma.latencyMs, 1000.0 / 30 + 12.1, accuracy: 1e-6)
    XCTAssertEqual(dma.utilisation["DMA"] ?? 0, 0.1 / (1000.0 / 30), accuracy: 1e-6)
    // the Gantt spans start at the window's origin and stay in it
    XCTAssertFalse(dma.spans.isEmpty)
    XCTAssertTrue(dma.spans.allSatisfy { $0.start >= 0 && $0.end >= $0.start })
    XCTAssertEqual(Set(dma.spans.map(\.resource)), ["camera", "core 0", "core 1", "KPU", "DMA"])
  }

  /// When the core is the bottleneck, the camera's newest frame wins and older ones are
  /// dropped; latency then includes the wait of the frame that was picked.
  func testNewestFrameWinsWhenTheCoreIsSlower() {
    let work = K210Pipeline.Work(
      preprocessMs: 0, uploadCPUMs: 0, uploadDMAMs: 0, modelMs: 50, kpuMs: 50, postprocessMs: 0,
      frameBytes: 1, inputBytes: 1, kpuInputBytes: 64)
    let r = K210Pipeline(work: work).run(.cameraOverlap)
    // results every 50 ms; the camera delivers every 33.3 ms, so 1/3 of its frames are dropped
    XCTAssertEqual(r.periodMs, 50, accuracy: 1e-6)
    XCTAssertEqual(r.droppedShare, 1 - (1000.0 / 50) / 30, accuracy: 1e-9)
    // a frame waits 0 or 16.7 ms before the core takes it (alternating): mean latency
    // 33.3 + 50 + 8.3
    XCTAssertEqual(r.latencyMs, 1000.0 / 30 + 50 + 1000.0 / 120, accuracy: 1e-6)
  }
}
