/// The event loop behind ``K210Pipeline``: frames, processors and counted buffers.
struct K210PipelineSimulation {
  /// A frame in flight.
  struct Frame {
    var id: Int
    var captureStart: Double, captureEnd: Double
    /// The next stage to run (0 = preprocess … 3 = postprocess) and when it may start.
    var next = 0, readyAt = Double.infinity
    var running = false
    var resultTime = Double.infinity
  }

  /// The counted buffers a stage takes and gives back.
  enum Buffer: Int { case camera, input, kpu }

  struct Stage {
    var name: String, resources: [String], ms: Double
    var acquires: Buffer?, releases: Buffer?
  }

  let stages: [Stage]
  let period: Double
  let requestDriven: Bool
  var capacity: [Int]
  var used = [0, 0, 0]
  var freeAt: [String: Double] = [:]
  var frames: [Frame] = []
  var running: [(end: Double, frame: Int, stage: Int)] = []
  var spans: [K210Pipeline.Span] = []
  var finished: [Frame] = []
  var now = 0.0, nextFrame = 0, boundary = 0
  let eps = 1e-9

  init(work: K210Pipeline.Work, period: Double, scenario: K210Scenario) {
    self.period = period
    requestDriven = scenario == .sequential
    let b = scenario.buffers
    capacity = [b.camera, b.input, b.kpuInput]
    let modelCore = scenario == .dualCore || scenario == .dmaUpload ? "core 1" : "core 0"
    let uploader = scenario == .dmaUpload ? "DMA" : modelCore
    stages = [
      Stage(name: "preprocess", resources: ["core 0"], ms: work.preprocessMs, acquires: .input, releases: .camera),
      Stage(
        name: "upload", resources: [uploader], ms: scenario == .dmaUpload ? work.uploadDMAMs : work.uploadCPUMs,
        acquires: .kpu, releases: .input),
      Stage(name: "model", resources: [modelCore, "KPU"], ms: work.modelMs, acquires: nil, releases: .kpu),
      Stage(name: "postprocess", resources: ["core 0"], ms: work.postprocessMs, acquires: nil, releases: nil),
    ]
  }

  func isFree(_ r: String) -> Bool { (freeAt[r] ?? 0) <= now + eps }

  mutating func run(results target: Int) {
    let limit = 4 * (2 * period + stages.reduce(0) { $0 + $1.ms }) * Double(target + 10)
    while finished.count < target && now <= limit {
      completeTasks()
      if !requestDriven { cameraBoundaries() }
      startTasks()
      if requestDriven { request() }
      let pending = running.map(\.end) + (requestDriven ? [] : [Double(boundary) * period])
      guard let next = pending.min() else { break }
      now = max(now, next)
    }
  }

  /// Tasks ending now: free their buffers, advance their frames.
  mutating func completeTasks() {
    let ending = running.filter { $0.end <= now + eps }
    running.removeAll { $0.end <= now + eps }
    for task in ending {
      guard let i = frames.firstIndex(where: { $0.id == task.frame }) else { continue }
      frames[i].running = false
      if task.stage < 0 {  // a capture: the newest frame replaces any older one still waiting
        frames[i].readyAt = task.end
        let stale = frames.filter { $0.next == 0 && !$0.running && $0.readyAt <= now + eps && $0.id < task.frame }
        for f in stale { drop(f.id, buffer: .camera) }
        continue
      }
      if let r = stages[task.stage].releases { used[r.rawValue] -= 1 }
      frames[i].next = task.stage + 1
      frames[i].readyAt = task.end
      if frames[i].next == stages.count {
        frames[i].resultTime = task.end
        finished.append(frames[i])
        frames.remove(at: i)
      } else if let held = stages[task.stage].acquires {
        // the newest frame wins at every queue: an older frame still waiting for the next stage
        // is dropped with the buffer it holds
        let stale = frames.filter { $0.next == task.stage + 1 && !$0.running && $0.id < task.frame }
        for f in stale { drop(f.id, buffer: held) }
      }
    }
  }

  mutating func drop(_ id: Int, buffer: Buffer) {
    frames.removeAll { $0.id == id }
    used[buffer.rawValue] -= 1
  }

  /// A free-running camera starts a capture at every frame boundary that has a buffer (reusing
  /// the buffer of a frame nobody started yet).
  mutating func cameraBoundaries() {
    while Double(boundary) * period <= now + eps {
      let start = Double(boundary) * period
      boundary += 1
      if used[Buffer.camera.rawValue] >= capacity[Buffer.camera.rawValue] {
        guard let stale = frames.first(where: { $0.next == 0 && !$0.running && $0.readyAt <= now + eps }) else {
          continue
        }
        drop(stale.id, buffer: .camera)
      }
      capture(start: start)
    }
  }

  mutating func capture(start: Double) {
    used[Buffer.camera.rawValue] += 1
    let f = Frame(id: nextFrame, captureStart: start, captureEnd: start + period)
    nextFrame += 1
    frames.append(f)
    frames[frames.count - 1].running = true
    running.append((start + period, f.id, -1))
    spans.append(.init(resource: "camera", task: "capture", frame: f.id, start: start, end: start + period))
  }

  /// In `sequential`, the core asks for a frame when it has nothing else to do and waits for it.
  mutating func request() {
    guard frames.isEmpty, isFree("core 0") else { return }
    let start = (now / period - eps).rounded(.up) * period
    capture(start: start)
    freeAt["core 0"] = start + period
    spans.append(.init(resource: "core 0", task: "camera wait", frame: nextFrame - 1, start: now, end: start + period))
  }

  /// Starts every task that can start now, later stages first.
  mutating func startTasks() {
    var started = true
    while started {
      started = false
      let ready = frames.indices.filter { !frames[$0].running && frames[$0].readyAt <= now + eps }
        .sorted { (frames[$0].next, -frames[$0].id) > (frames[$1].next, -frames[$1].id) }
      for i in ready {
        let s = stages[frames[i].next]
        guard s.resources.allSatisfy(isFree) else { continue }
        if let b = s.acquires {
          guard used[b.rawValue] < capacity[b.rawValue] else { continue }
          used[b.rawValue] += 1
        }
        let end = now + s.ms
        for r in s.resources {
          freeAt[r] = end
          if s.ms > 0 { spans.append(.init(resource: r, task: s.name, frame: frames[i].id, start: now, end: end)) }
        }
        frames[i].running = true
        running.append((end, frames[i].id, frames[i].next))
        started = true
        break
      }
    }
  }
}
