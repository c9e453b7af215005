import Experiment

/// The Workbench version printed by `--version` and `workbench version`: the one the runner
/// records in every manifest and cache key (``Experiment/CodeVersion/workbench``).
public enum WorkbenchVersion {
  public static let string = CodeVersion.workbench
}
