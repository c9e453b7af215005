/// The Workbench version: part of every cache key and recorded in every run manifest.
public enum WorkbenchVersion {
  public static let string = "0.1.0"
}
