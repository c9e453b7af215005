import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress for people, the one reporter of Workbench: the experiment runner's stage lines and
/// the training loop's bar both go through it (architecture issue #12, item 5; it lives in
/// Training, the lower of the two users, and Experiment uses it).
///
/// On a terminal a live line is redrawn in place (the training bar: epoch, batch i/N, loss terms,
/// lr, images/s, ETA; or a stage's ``status(_:)``); in a log file or CI, only lines that stay are
/// written (one per epoch, one per ``line(_:)``), which stays readable when captured.
public final class ProgressReporter: TrainingCallback, @unchecked Sendable {
  /// How progress is shown.
  public enum Mode: String, Codable, Sendable {
    /// A live bar when standard output is a terminal (`isatty(1)`), else lines.
    case automatic
    /// Always the live bar.
    case bar
    /// One line per epoch.
    case lines
    /// Nothing.
    case silent
  }

  let mode: Mode
  let write: (String) -> Void
  let metricName: String?
  let redrawInterval: Double
  var lastRedraw = -Double.infinity
  /// Whether a live line (bar or status) is on screen and must be cleared before a lasting line.
  private var liveLine = false
  /// Suppresses all output (lines, status and the training bar) while true.
  public var quiet = false

  /// Whether live lines are drawn (the mode resolved to ``Mode/bar``, e.g. on a terminal).
  public var isTerminal: Bool { mode == .bar }

  /// Creates a reporter; `write` receives text without implicit newlines (stdout by default).
  /// The bar is redrawn at most every `redrawInterval` seconds (and always on an epoch's last
  /// batch), so fast steps do not spend their time printing.
  public init(
    mode: Mode = .automatic, metricName: String? = nil, redrawInterval: Double = 0.1,
    write: ((String) -> Void)? = nil
  ) {
    self.mode = mode == .automatic ? (isatty(1) != 0 ? .bar : .lines) : mode
    self.metricName = metricName
    self.redrawInterval = redrawInterval
    self.write =
      write ?? { text in
        FileHandle.standardOutput.write(Data(text.utf8))
      }
  }

  /// Creates a reporter that draws live lines exactly when `isTerminal` (the experiment runner's
  /// form: it decides from `isatty` itself, or passes false in tests and logs).
  public convenience init(isTerminal: Bool, write: @escaping (String) -> Void) {
    self.init(mode: isTerminal ? .bar : .lines, write: write)
  }

  /// A line that stays (clearing a live line first).
  public func line(_ text: String) {
    guard !quiet, mode != .silent else { return }
    if liveLine { write("\r\u{1B}[2K"); liveLine = false }
    write(text + "\n")
  }

  /// A status line redrawn in place on a terminal; ignored in logs (use ``line(_:)`` there).
  public func status(_ text: String) {
    guard !quiet, isTerminal else { return }
    write("\r\u{1B}[2K" + text)
    liveLine = true
  }

  /// Draws the bar after training batches and prints the epoch summary.
  public func handle(_ event: TrainingEvent, state: inout TrainingState) throws {
    guard !quiet else { return }
    switch (mode, event) {
    case (.bar, .trainBatchEnd):
      let now = Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
      guard now - lastRedraw >= redrawInterval || state.batch + 1 == state.batchCount else { return }
      lastRedraw = now
      write("\r\u{1B}[K" + Self.barLine(state))
      liveLine = true
    case (.bar, .epochEnd):
      write("\r\u{1B}[K" + Self.epochLine(state, metricName: metricName) + "\n")
      liveLine = false
    case (.lines, .epochEnd):
      write(Self.epochLine(state, metricName: metricName) + "\n")
    default:
      break
    }
  }

  /// `epoch 2/10 [######------------] 12/40 loss 0.4312 box 0.2 … lr 1.00e-03 812 img/s ETA 0:07`
  static func barLine(_ s: TrainingState) -> String {
    let done = s.batch + 1, width = 20
    let filled = s.batchCount > 0 ? width * done / s.batchCount : 0
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let eta = done > 0 ? s.epochSeconds / Double(done) * Double(s.batchCount - done) : 0
    return "epoch \(s.epoch + 1)/\(s.epochs) [\(bar)] \(done)/\(s.batchCount) \(terms(s.runningTerms)) "
      + "lr \(String(format: "%.2e", s.learningRate)) \(String(format: "%.0f", s.imagesPerSecond)) img/s ETA \(clock(eta))"
  }

  /// `epoch 2/10 loss 0.4312 (box 0.2…) val_loss 0.5 metric 0.61 lr 1.00e-03 812 img/s 3.2 s`
  static func epochLine(_ s: TrainingState, metricName: String?) -> String {
    guard let r = s.history.last else { return "" }
    var line = "epoch \(r.epoch)/\(s.epochs) \(terms(r.train))"
    if !r.validation.isEmpty { line += " val " + terms(r.validation) }
    if let m = r.metric { line += " \(metricName ?? "metric") \(String(format: "%.4f", m))" }
    return line
      + " lr \(String(format: "%.2e", r.learningRate)) \(String(format: "%.0f", r.imagesPerSecond)) img/s \(String(format: "%.1f", r.seconds)) s"
      + phases(s.phaseSeconds)
  }

  /// Where the epoch's training time went, in the loop's order, e.g.
  /// ` (data 0.1, forward 3.0, loss 0.4, backward 5.9, optimizer 0.7 s)`; data is the time spent
  /// waiting for the loader's next batch. Empty when no phase was timed.
  static func phases(_ seconds: [String: Double]) -> String {
    let order = ["data", "forward", "loss", "backward", "optimizer", "callbacks"]
    let named = order.filter { seconds[$0] != nil } + seconds.keys.filter { !order.contains($0) }.sorted()
    guard !named.isEmpty else { return "" }
    return " (" + named.map { "\($0) \(String(format: "%.1f", seconds[$0] ?? 0))" }.joined(separator: ", ") + " s)"
  }

  /// `loss 0.4312 box 0.2100 class 0.1…`: the total first, then the terms by name.
  static func terms(_ t: [String: Double]) -> String {
    let keys = (t["loss"] == nil ? [] : ["loss"]) + t.keys.filter { $0 != "loss" }.sorted()
    return keys.map { "\($0) \(String(format: "%.4f", t[$0] ?? 0))" }.joined(separator: " ")
  }

  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
