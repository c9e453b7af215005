import Foundation

/// One line a worker writes on stdout, a JSON object with an `event`:
/// - `ready`: the model and input are built (`parameters`, the framework `version`); the driver
///   reads the worker's resident memory here as the baseline;
/// - `start` (`kind`): the timed steps of `kind` begin; the driver's load window opens;
/// - `result` (`kind`, `images`, `seconds`, `steps`): they ended; the window closes;
/// - `error` (`reason`): the worker cannot run the job.
public struct WorkerMessage: Equatable, Sendable, Decodable {
  public var event: String
  public var kind: String?
  public var images: Int?
  public var seconds: Double?
  public var steps: Int?
  public var parameters: Int?
  public var version: String?
  public var reason: String?

  public init(
    event: String, kind: String? = nil, images: Int? = nil, seconds: Double? = nil, steps: Int? = nil,
    parameters: Int? = nil, version: String? = nil, reason: String? = nil
  ) {
    (self.event, self.kind, self.images, self.seconds) = (event, kind, images, seconds)
    (self.steps, self.parameters, self.version, self.reason) = (steps, parameters, version, reason)
  }

  /// Parses one line.
  /// - Throws: ``BenchError`` for a line that is not such an object, or a result without its
  ///   figures (a worker's stray print must not pass for a measurement).
  public static func parse(_ line: String) throws -> WorkerMessage {
    let message: WorkerMessage
    do {
      message = try JSONDecoder().decode(WorkerMessage.self, from: Data(line.utf8))
    } catch {
      throw BenchError("the worker wrote '\(line.prefix(200))', which is not a worker message")
    }
    guard ["ready", "start", "result", "error"].contains(message.event) else {
      throw BenchError("the worker sent an unknown event '\(message.event)'")
    }
    if message.event == "result" {
      guard message.kind != nil, let images = message.images, let seconds = message.seconds, images > 0, seconds > 0
      else { throw BenchError("the worker's result '\(line.prefix(200))' lacks kind, images or seconds") }
    }
    return message
  }

  /// Images per second of a result.
  public var imagesPerSecond: Double? {
    guard let images, let seconds, seconds > 0 else { return nil }
    return Double(images) / seconds
  }
}
