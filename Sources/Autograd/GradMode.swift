/// Whether ops record the graph for backpropagation. Turn it off for inference and evaluation
/// with ``withoutGradients(_:)``; the setting is per thread, so a data-loading thread never
/// affects training.
public enum GradMode {
  @TaskLocal private static var disabled = false

  /// True while results of ops remember how to differentiate themselves.
  public static var isEnabled: Bool { !disabled }

  /// Runs `body` without recording the graph (inference mode).
  public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try $disabled.withValue(true) { try body() }
  }
}

/// Runs `body` with gradient recording off; results are constants.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
  try GradMode.withoutGradients(body)
}
