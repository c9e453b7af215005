import Datasets
import Foundation
import Graph
import GraphTraining
import Quantization
import RunFormat
import Support
import Tensors
import Training

/// `quantize`: post-training quantization of the deployment graph (`model:deploy`, BatchNorm
/// folded) for `quantize.scheme`.
///
/// 1. Calibration: `quantize.calibration.images` training images, drawn once from the stage's
///    seeded stream (the same images on every run), run through the float graph; every value's
///    extremes and |x| histogram are collected and the method picks each range.
/// 2. Quantization: ``SchemeQuantization/quantize(_:scheme:ranges:options:)``.
/// 3. Diagnostics: the scheme's integer executor against float on the calibration images,
///    per tensor (SQNR, cosine, max error).
///
/// Outputs: `model.quantized.h5` (``QuantizedModelFile``, the `model:quantized` artifact the
/// `evaluate-quantized` stage scores) and `quantization.json` (``QuantizationSummary``).
public struct QuantizeStage: Stage {
  public let name = RunLayout.Stage.quantize
  public var reads: [ArtifactName] { [.dataset, source] }
  /// The deployment graph quantized: the trained model's, or the compressed model's.
  public let source: ArtifactName
  public let writes = [
    ArtifactOutput(.quantizedModel, [RunLayout.File.quantizedModel]),
    ArtifactOutput(.quantization, [RunLayout.File.quantization]),
  ]
  public init(source: ArtifactName = .deployModel) { self.source = source }

  public func settings(_ e: ResolvedExperiment) -> JSONValue { e.document["quantize"] ?? .null }

  public func run(_ context: StageContext) throws {
    guard let q = context.settings.quantize else { return }
    var graph = try ModelGraph.read(context.artifact(source))
    var passes: [String] = []
    if q.equalize {
      graph = try CrossLayerEqualization.run(graph)
      passes.append("cross-layer equalisation")
    }
    let dataPath = try context.artifact(.dataset).path
    let batches = try Self.calibrationBatches(
      graph: graph, dataset: dataPath, images: q.calibration.images, random: context.rng.split("calibration"))
    context.progress.line("  calibrating on \(q.calibration.images) training images (\(q.calibration.method.rawValue))")
    let stats = try Calibrator.collect(graph, batches: batches, bins: q.calibration.bins)
    try context.checkCancellation()
    let ranges = try Calibrator.ranges(stats, settings: q.calibration.library)
    if let qat = q.qat {
      graph = try fineTune(graph, ranges: ranges, settings: q, qat: qat, dataPath: dataPath, context: context)
      passes.append("quantization-aware training (\(qat.epochs) epochs)")
    }
    var options = q.options
    if let mp = q.mixedPrecision {
      let (chosen, note) = try Self.mixedPrecision(
        graph, ranges: ranges, settings: q, budget: mp.memoryBytes, batches: batches)
      options = chosen
      passes.append(note)
      context.progress.line("  \(note)")
    }
    var model = try SchemeQuantization.quantize(graph, scheme: q.scheme, ranges: ranges, options: options)
    let reference = graph
    if q.biasCorrection {
      // the corrected float graph is shifted on purpose; diagnostics compare with the one before
      let corrected = try BiasCorrection.correct(graph, quantized: model, batches: batches).graph
      model = try SchemeQuantization.quantize(corrected, scheme: q.scheme, ranges: ranges, options: options)
      passes.append("bias correction")
    }
    try context.checkCancellation()
    let report = try QuantizationDiagnostics.measure(floatGraph: reference, model: model, batches: batches)
    try QuantizedModelFile.save(model, to: context.outputFile(RunLayout.File.quantizedModel).path)
    var summary = Self.summary(model: model, settings: q, stats: stats, ranges: ranges, report: report)
    summary.passes = passes
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicWrite.write(try encoder.encode(summary), to: context.outputFile(RunLayout.File.quantization))
    if let worst = summary.worst(1).first, let sqnr = worst.sqnr {
      context.progress.line(
        "  \(q.scheme.rawValue): \(summary.tensors.count) tensors quantized; lowest SQNR \(String(format: "%.1f", sqnr)) dB at \(worst.name)"
      )
    }
  }

  /// The options of automatic mixed precision: quantize at 8 bits, rank the conv and dense
  /// layers by the SQNR of their stored output, and move the worst to 16 bits while the weights
  /// (elements × bytes per element) fit `budget`. Layers the experiment sets in
  /// `quantize.layers` keep their width.
  static func mixedPrecision(
    _ graph: ModelGraph, ranges: [String: ClosedRange<Float>], settings q: QuantizeSettings, budget: Int,
    batches: [[String: Tensor<Float>]]
  ) throws -> (QuantizationOptions, String) {
    guard q.scheme == .gap8Pow2, q.bits == 8 else {
      throw StageError.failed(
        "quantize.mixed_precision: automatic mixed precision promotes 8-bit layers to 16 bits in the gap8-pow2 scheme; set quantize.scheme to gap8-pow2 and quantize.bits to 8"
      )
    }
    var options = q.options
    let base = try SchemeQuantization.quantize(graph, scheme: q.scheme, ranges: ranges, options: options)
    let report = try QuantizationDiagnostics.measure(floatGraph: graph, model: base, batches: batches)
    let layers = graph.nodes.filter { $0.op == .conv || $0.op == .dense }.map { node in
      (
        name: node.name, sqnr: report[base.storedOutput(of: node)]?.sqnr ?? .infinity,
        weights: graph.parameters[Parameter.key(node: node.name, role: "weight")].map { $0.shape.reduce(1, *) } ?? 0
      )
    }
    var bytes = layers.reduce(0) { $0 + $1.weights * ((options.layerBits[$1.name] ?? 8) == 16 ? 2 : 1) }
    guard bytes <= budget else {
      throw StageError.failed(
        "quantize.mixed_precision.memory_bytes: the weights need \(bytes) bytes at 8 bits, more than the budget of \(budget)"
      )
    }
    var promoted = 0
    for layer in layers.sorted(by: { $0.sqnr < $1.sqnr }) where options.layerBits[layer.name] == nil {
      guard bytes + layer.weights <= budget else { continue }
      options.layerBits[layer.name] = 16
      bytes += layer.weights
      promoted += 1
    }
    return (
      options,
      "mixed precision: \(promoted) of \(layers.count) layers in 16 bits, weights \(bytes) of \(budget) bytes"
    )
  }

  /// Quantization-aware fine-tuning of `graph` with the calibrated ranges frozen, through the
  /// resumable training loop (its checkpoints live in this stage's work folder).
  func fineTune(
    _ graph: ModelGraph, ranges: [String: ClosedRange<Float>], settings q: QuantizeSettings,
    qat: QuantizeSettings.QATSection, dataPath: String, context: StageContext
  ) throws -> ModelGraph {
    guard q.scheme != .gap8Pow2 else {
      throw StageError.failed(
        "quantize.qat: quantization-aware training simulates the affine schemes (int8, k210, gap8-sq8); gap8-pow2 is power-of-two fixed point (int16 by default, near-lossless): remove the qat section"
      )
    }
    let s = context.settings
    let simulation = try QuantizationSimulation(
      graph: graph, ranges: ranges, bits: q.bits ?? 8, perChannel: q.perChannel)
    let random = context.rng.split("qat")
    let inputs = try TrainingInputs(graph: graph, dataPath: dataPath, settings: s, random: random)
    let configuration = TrainingConfiguration(
      epochs: qat.epochs, random: random, learningRate: qat.lr, schedule: s.train.schedule.schedule(epochs: qat.epochs),
      optimizer: s.train.optimizer.rule, gradientClipNorm: s.train.gradClip > 0 ? Float(s.train.gradClip) : nil,
      earlyStopping: nil)
    let cancel = Cancellation.trainingCallback
    context.progress.line("  quantization-aware training: \(qat.epochs) epochs at lr \(qat.lr)")
    let (tuned, reason) = try QuantizationAwareTraining.fineTune(
      graph: graph, simulation: simulation, configuration: configuration, trainingData: inputs.train,
      validationData: inputs.validation, objective: inputs.objective, identityClasses: inputs.identityClasses,
      random: random, directory: context.work.appendingPathComponent("qat"),
      callbacks: [Training.ProgressReporter(), cancel])
    if case .requested = reason { throw StageError.interrupted }
    return tuned
  }

  /// `images` training images in a seeded order, as batches of at most 32 (the whole sample
  /// when the split is smaller).
  static func calibrationBatches(
    graph: ModelGraph, dataset: String, images: Int, random: RandomStream
  ) throws -> [[String: Tensor<Float>]] {
    guard let input = graph.inputs.first?.name else { return [] }
    let config = LoaderConfig(feeding: graph, batchSize: min(32, images), shuffle: true)
    let loader = try DataLoader(path: dataset, split: "train", config: config, random: random)
    let it = loader.epoch(0)
    var batches: [[String: Tensor<Float>]] = []
    var taken = 0
    while taken < images, let batch = try it.next() {
      var x = batch.images
      let keep = min(batch.count, images - taken)
      if keep < batch.count {
        let per = x.count / batch.count
        x = Tensor(shape: [keep] + Array(x.shape.dropFirst()), scalars: Array(x.scalars[0..<(keep * per)]))
      }
      batches.append([input: x])
      taken += keep
    }
    return batches
  }

  /// The `quantization.json` record of every quantized tensor, in graph order, activations
  /// with their calibration histogram (downsampled to 64 bins) and error diagnostics.
  static func summary(
    model: QuantizedModel, settings q: QuantizeSettings, stats: [String: TensorStatistics],
    ranges: [String: ClosedRange<Float>], report: QuantizationReport
  ) -> QuantizationSummary {
    var tensors: [QuantizationSummary.Tensor] = []
    let order =
      model.graph.values.map(\.name)
      + model.graph.nodes.flatMap { node in
        model.graph.parameters(of: node).map(\.name)
      }
    for name in order {
      guard let f = model.table[name] else { continue }
      let isWeight = model.graph.parameters[name] != nil
      var t = QuantizationSummary.Tensor(
        name: name, kind: isWeight ? "weight" : "activation", elementType: f.elementType.rawValue, scales: f.scales,
        zeroPoints: f.zeroPoints, fractionalBits: f.fractionalBits)
      if !isWeight, let s = stats[name] {
        t.observed = [Double(s.min), Double(s.max)]
        if let r = ranges[name] { t.chosen = [Double(r.lowerBound), Double(r.upperBound)] }
        let h = s.histogram, group = max(1, h.counts.count / 64)
        t.histogramMax = h.edge(h.counts.count)
        t.histogram = stride(from: 0, to: h.counts.count, by: group).map {
          h.counts[$0..<min($0 + group, h.counts.count)].reduce(0, +)
        }
      }
      if let d = report[name] {
        (t.sqnr, t.cosine, t.maxAbsError) = (d.sqnr, d.cosine, d.maxAbsError)
      }
      tensors.append(t)
    }
    return QuantizationSummary(
      scheme: q.scheme.rawValue, method: q.calibration.method.rawValue, percentile: q.calibration.percentile,
      images: q.calibration.images, tensors: tensors, passes: [])
  }
}
