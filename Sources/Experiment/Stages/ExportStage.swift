import Foundation
import Graph
import KModel
import ONNX
import Quantization
import RunFormat
import Support

/// `export`: the deployment files of `export` — `model.onnx` (the float model, compressed when
/// `compress` is set) and `model.kmodel` (the `k210`-quantized model as a kmodel V3 or V5 (`export.kmodel.version`), written
/// from the same KPU layers the K210 executor runs; the `evaluate-kmodel` stage scores it with
/// the simulator that runs its bytes).
public struct ExportStage: Stage {
  public let name = RunLayout.Stage.export
  /// The float model exported to ONNX.
  public let floatSource: ArtifactName
  /// Which files are written.
  public let onnx: Bool, kmodel: Bool
  public var reads: [ArtifactName] { (onnx ? [floatSource] : []) + (kmodel ? [.quantizedModel] : []) }
  public var writes: [ArtifactOutput] {
    (onnx ? [ArtifactOutput(.onnxModel, [RunLayout.File.onnx])] : [])
      + (kmodel ? [ArtifactOutput(.kmodel, [RunLayout.File.kmodel])] : [])
  }

  /// What the kmodel writer's optimisation passes changed (``KModelPassReport``), written next
  /// to `model.kmodel` (not part of the `kmodel` artifact, so its readers and hash are as before).
  public static let passesFile = "kmodel-passes.json"

  public init(floatSource: ArtifactName, onnx: Bool, kmodel: Bool) {
    (self.floatSource, self.onnx, self.kmodel) = (floatSource, onnx, kmodel)
  }

  public func settings(_ e: ResolvedExperiment) -> JSONValue { e.document["export"] ?? .null }

  public func run(_ context: StageContext) throws {
    let export = context.settings.export
    if let o = export?.onnx {
      let graph = try ModelGraph.read(context.artifact(floatSource))
      let data = try ONNXExporter.export(
        graph, options: ONNXExportOptions(opset: o.opset, foldBatchNorm: o.foldBatchnorm))
      try AtomicWrite.write(data, to: context.outputFile(RunLayout.File.onnx))
      context.progress.line("  model.onnx: \(data.count) bytes, opset \(o.opset)")
    }
    if let k = export?.kmodel {
      let model = try QuantizedModelFile.load(context.artifact(.quantizedModel).path)
      guard let executor = try SchemeQuantization.executor(for: model) as? K210Executor else {
        throw StageError.failed(
          "export.kmodel: a kmodel holds K210 KPU layers; set quantize.scheme to k210 (it is \(model.table.scheme.rawValue))"
        )
      }
      switch k.version {
      case 3:
        let (kmodel, report) = try KModelV3Writer.modelAndReport(executor, options: k.writerOptions)
        let bytes = try kmodel.serialized()
        try AtomicWrite.write(Data(bytes), to: context.outputFile(RunLayout.File.kmodel))
        context.progress.line(
          "  model.kmodel: kmodel V3, \(bytes.count) bytes, main buffer \(kmodel.mainMemoryUsage) bytes")
        for pass in report.passes { context.progress.line("    \(pass.summary)") }
        try AtomicWrite.writeJSON(report, to: context.outputFile(Self.passesFile), snakeCase: true)
      case 5:
        let bytes = try KModelV5Writer.bytes(executor)
        try AtomicWrite.write(Data(bytes), to: context.outputFile(RunLayout.File.kmodel))
        context.progress.line("  model.kmodel: kmodel V5, \(bytes.count) bytes")
      default:
        throw StageError.failed(
          "export.kmodel.version is \(k.version); write 3 (MaixPy, Kendryte SDK) or 5 (nncase 1.x runtime, nncase.Simulator)"
        )
      }
    }
  }
}
