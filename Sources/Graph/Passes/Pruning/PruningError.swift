/// Why a pruning request cannot be carried out; each message says what to change.
public enum PruningError: Error, CustomStringConvertible, Equatable {
  /// The request names a group the graph does not have.
  case unknownGroup(String, known: [String])
  /// The request prunes a fixed group.
  case fixedGroup(String, reason: String)
  /// The request keeps no channel, or names a channel twice or out of range.
  case badKeep(group: String, channels: Int, message: String)
  /// A parameter holds integer (quantized) values; pruning is done on the float model.
  case nonFloatParameter(String)
  /// A criterion needs parameter values the graph does not have.
  case missingValue(String)
  /// A ratio outside [0, 1).
  case badRatio(String, Double)
  /// A budget that even the most pruned model allowed does not meet.
  case budgetUnreachable(what: String, budget: Int, smallest: Int)

  public var description: String {
    switch self {
    case let .unknownGroup(id, known):
      return "There is no channel group '\(id)' (prunable groups: \(known.joined(separator: ", ")))."
    case let .fixedGroup(id, reason):
      return "Channel group '\(id)' cannot be pruned: \(reason)."
    case let .badKeep(group, channels, message):
      return "Channel group '\(group)' (\(channels) channels): \(message)."
    case let .nonFloatParameter(name):
      return "Parameter '\(name)' holds integer values; prune the float model, before quantization."
    case let .missingValue(name):
      return "Parameter '\(name)' has no value; load the trained weights before ranking channels."
    case let .badRatio(what, ratio):
      return "The pruning ratio of \(what) is \(ratio); it must be at least 0 and below 1."
    case let .budgetUnreachable(what, budget, smallest):
      return
        "A \(what) budget of \(budget) cannot be met: the most pruned model allowed still has \(smallest) (the output layers and fixed groups need that much); raise the budget or allow more pruning."
    }
  }
}
