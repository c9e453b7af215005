extension CompressionSettings {
  /// One problem with the settings: the JSON path below the section (e.g. `"ratio"`,
  /// `"layer_ratios.conv5"`) and a sentence.
  public struct Problem: Equatable, Sendable, CustomStringConvertible {
    /// The field's path inside the section.
    public var path: String
    /// What is wrong and what to write instead.
    public var message: String
    public var description: String { "\(path): \(message)" }
  }

  /// Every problem found, before any work is done (an empty list means the settings are usable).
  /// Budgets too small for the model are found later, by ``Compressor/ratios(for:sensitivity:)``,
  /// which knows the graph.
  public var problems: [Problem] {
    var found: [Problem] = []
    func check(_ ok: Bool, _ path: String, _ message: String) {
      if !ok { found.append(Problem(path: path, message: message)) }
    }
    check(
      ratio >= 0 && ratio < 1, "ratio", "must be at least 0 and below 1 (the share of channels removed), got \(ratio).")
    for (name, r) in layerRatios.sorted(by: { $0.key < $1.key }) {
      check(r >= 0 && r < 1, "layer_ratios.\(name)", "must be at least 0 and below 1, got \(r).")
    }
    check(maxMACs.map { $0 > 0 } ?? true, "max_macs", "must be a positive number of multiply-accumulates.")
    check(maxParameters.map { $0 > 0 } ?? true, "max_parameters", "must be a positive number of parameters.")
    check(
      !sensitivity || !sensitivityRatios.isEmpty, "sensitivity_ratios", "must list ratios when sensitivity is on.")
    for (i, r) in sensitivityRatios.enumerated() {
      check(r > 0 && r < 1, "sensitivity_ratios[\(i)]", "must be above 0 and below 1, got \(r).")
    }
    check(sensitivitySamples > 0, "sensitivity_samples", "must be positive.")
    check(roundTo >= 1, "round_to", "must be at least 1 (1 keeps exact counts).")
    check(maxRatio > 0 && maxRatio < 1, "max_ratio", "must be above 0 and below 1, got \(maxRatio).")
    check(steps >= 1, "steps", "must be at least 1.")
    check(frequency >= 1, "frequency", "must be at least 1 epoch.")
    check(fineTuneEpochs >= 0, "fine_tune_epochs", "must not be negative.")
    check(taylorBatches >= 1, "taylor_batches", "must be at least 1.")
    return found
  }
}
