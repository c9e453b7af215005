/// The single list of pipeline stages, in execution order. Evaluation is one stage type
/// instantiated per model variant the experiment produces.
public enum StageRegistry {
  /// The stages that run `experiment`.
  public static func stages(for experiment: ResolvedExperiment) -> [Stage] {
    [DataStage(), ModelStage(imported: experiment.settings.model.onnx != nil)]
      + (experiment.settings.simulate.k210 != nil ? [K210CheckStage()] : [])
      + [TrainStage()]
      + (experiment.settings.compress.map { c in
        (c.prune.analysesSensitivity ? [SensitivityStage()] : [])
          + [CompressStage(usesSensitivity: c.prune.ratios == .sensitivity)]
      } ?? [])
      + (experiment.settings.quantize != nil
        ? [QuantizeStage(source: experiment.settings.compress != nil ? .compressedDeployModel : .deployModel)] : [])
      + (experiment.settings.export.map { e in
        [
          ExportStage(
            floatSource: experiment.settings.compress != nil ? .compressedModel : .trainedModel, onnx: e.onnx != nil,
            kmodel: e.kmodel != nil)
        ]
      } ?? [])
      + experiment.variants.map { EvaluateStage(variant: $0) }
      + (experiment.settings.simulate.k210 != nil
        ? [
          K210SimulateStage(
            model: experiment.settings.compress != nil ? .compressedDeployModel : .deployModel,
            kmodel: experiment.settings.export?.kmodel != nil)
        ] : [])
  }
}
