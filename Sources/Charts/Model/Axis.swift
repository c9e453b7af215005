/// A chart axis: its label and, optionally, a fixed domain.
public struct Axis: Sendable {
  /// The axis title, e.g. "epoch" or "recall".
  public var label: String
  /// A fixed domain; `nil` fits the data, widened to nice tick values.
  public var domain: ClosedRange<Double>?
  /// Whether an automatic domain must include zero (bars and counts do).
  public var includesZero: Bool
  /// Whether ticks must be whole numbers (epochs, folds): the step is at least 1.
  public var integerTicks: Bool

  /// Creates an axis.
  public init(
    label: String = "", domain: ClosedRange<Double>? = nil, includesZero: Bool = false, integerTicks: Bool = false
  ) {
    self.label = label
    self.domain = domain
    self.includesZero = includesZero
    self.integerTicks = integerTicks
  }

  /// A 0…1 axis, for rates, precision and recall.
  public static func unit(_ label: String) -> Axis { Axis(label: label, domain: 0...1) }
}
