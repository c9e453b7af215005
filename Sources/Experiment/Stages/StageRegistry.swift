/// The single list of pipeline stages, in execution order. Later stages (compress, quantize,
/// export, simulate) are added here when the experiment format supports them.
public enum StageRegistry {
  public static let all: [Stage] = [DataStage(), ModelStage(), TrainStage(), EvaluateStage()]
}
