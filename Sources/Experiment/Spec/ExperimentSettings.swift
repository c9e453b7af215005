import Foundation
import Support

/// The typed view of a resolved (validated, defaults filled) experiment file.
public struct ExperimentSettings: Codable, Equatable, Sendable {
  public struct Data: Codable, Equatable, Sendable {
    public var source: String, path: String
    public var imageSize: Int, channels: Int, train: Int, val: Int
    public var identities: Int, imagesPerIdentity: Int, maxObjects: Int
    public var testIdentities: Int, testImagesPerIdentity: Int, pairsPerFold: Int
  }
  public struct Model: Codable, Equatable, Sendable {
    public var zoo: String, width: Double, depth: Double, resolution: Int
  }
  public struct Optimizer: Codable, Equatable, Sendable {
    public var name: String, lr: Double, momentum: Double, nesterov: Bool, weightDecay: Double, beta1: Double, beta2: Double
  }
  public struct Schedule: Codable, Equatable, Sendable {
    public var name: String, warmupEpochs: Double, stepEpochs: Int, milestones: [Int], gamma: Double, finalFraction: Double
  }
  public struct Loss: Codable, Equatable, Sendable {
    public var box: String, objectness: String, classification: String
    public var boxWeight: Double, objectnessWeight: Double, classWeight: Double
    public var ceWeight: Double, liftedWeight: Double, liftedMargin: Double, labelSmoothing: Double, ignoreIou: Double
  }
  public struct Augment: Codable, Equatable, Sendable {
    public var flip: Double, scale: Double, translate: Double, brightness: Double, contrast: Double
  }
  public struct Train: Codable, Equatable, Sendable {
    public var epochs: Int, batchSize: Int
    public var optimizer: Optimizer, schedule: Schedule, loss: Loss, augment: Augment
    public var gradClip: Double, patience: Int
  }
  public struct Evaluate: Codable, Equatable, Sendable {
    public var split: String, ap: String, confidenceThreshold: Double, nmsIou: Double, maxDetections: Int
    public var distance: String, gates: [String: String]
  }
  public struct Report: Codable, Equatable, Sendable { public var enabled: Bool }

  public var version: Int
  public var name: String
  public var description: String
  public var seed: UInt64
  public var data: Data
  public var model: Model
  public var train: Train
  public var evaluate: Evaluate
  public var report: Report
}

/// An experiment ready to run: the resolved document (saved with the run and hashed for cache
/// keys) and its typed settings.
public struct ResolvedExperiment: Sendable {
  public var document: JSONValue
  public var settings: ExperimentSettings
  public var overrides: [String]
  public var sourceFile: String
}
