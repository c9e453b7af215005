import ArgumentParser
import Foundation
import HDF5
import Metrics
import Support

extension Workbench {
  /// `workbench eval detections|verification`: KPIs on predictions made by any tool.
  struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compute KPIs on external predictions, with the metric definition named in the output.",
      subcommands: [Detections.self, Verification.self])

    /// COCO ground truth + COCO results → AP under a named definition.
    struct Detections: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Detection KPIs (mAP@0.5, mAP@[.5:.95], PR curves, F1-optimal P/R) from COCO JSON files.")
      @Option(help: "COCO ground-truth JSON (images, annotations, categories).") var gt: String
      @Option(help: "COCO results JSON: [{image_id, category_id, bbox: [x, y, w, h], score}].") var pred: String
      @Option(help: "AP definition: coco101 (pycocotools), voc07 (11-point) or voc-all (VOC 2010+).") var ap = "coco101"
      @Option(help: "IoU thresholds, comma-separated (default COCO's 0.50:0.05:0.95).") var iou: String?
      @Flag(help: "Print the stable JSON report instead of text.") var json = false

      func validate() throws {
        if APDefinition(rawValue: ap) == nil {
          throw ValidationError("--ap must be coco101, voc07 or voc-all, got \(ap)")
        }
        if let iou,
          iou.split(separator: ",").contains(where: { Double($0.trimmingCharacters(in: .whitespaces)) == nil })
        {
          throw ValidationError("--iou must be comma-separated numbers, got \(iou)")
        }
      }

      func run() throws {
        do {
          let gtData = try readFile(gt, "the ground-truth file"), predData = try readFile(pred, "the results file")
          let truth = try COCOGroundTruth.decode(from: gtData, source: gt)
          let results = try COCOResult.decodeList(from: predData, source: pred)
          let thresholds =
            iou.map { $0.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
            ?? cocoIoUThresholds
          let report = try DetectionEvaluator.evaluate(
            gt: truth, preds: results, definition: APDefinition(rawValue: ap) ?? .coco101, iouThresholds: thresholds)
          if json {
            print(String(decoding: try report.jsonData(pretty: true), as: UTF8.self))
          } else {
            print(report.renderText())
          }
        } catch let e as ExitCode { throw e } catch {
          FileHandle.standardError.write(Data("error: \(error)\n".utf8))
          throw ExitCode.failure
        }
      }
    }

    /// LFW pairs + embeddings (HDF5) → ten-fold verification accuracy, ROC, EER, TAR@FAR.
    struct Verification: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Face verification KPIs by the LFW protocol (10-fold accuracy, ROC, AUC, EER, TAR@FAR).")
      @Option(help: "LFW pairs.txt (header 'folds pairs', then matched and mismatched lines per fold).") var pairs:
        String
      @Option(help: "HDF5 file with /embeddings (Float32 N×D) and /keys (strings like Name_0001).") var embeddings:
        String
      @Option(help: "Distance: cosine, euclidean or squared-euclidean.") var metric = "cosine"
      @Flag(help: "Print the stable JSON report instead of text.") var json = false

      func validate() throws {
        if DistanceMetric(rawValue: metric) == nil {
          throw ValidationError("--metric must be cosine, euclidean or squared-euclidean, got \(metric)")
        }
      }

      func run() throws {
        do {
          let lfw = try LFWPairs.parse(String(decoding: try readFile(pairs, "the pairs file"), as: UTF8.self))
          let file = try HDF5File.open(embeddings)
          let matrix: [Float] = try file.root.read("embeddings")
          let shape = try file.root.dataset("embeddings").shape
          let keys = try file.root.dataset("keys").readStrings()
          guard shape.count == 2, shape[0] == keys.count else {
            throw ValidationError(
              "\(embeddings): /embeddings has shape \(shape) but /keys has \(keys.count) entries; expected N×D with one key per row"
            )
          }
          let table = try EmbeddingTable(keys: keys, matrix: matrix, dimension: shape[1])
          let report = try VerificationEvaluator.evaluate(
            pairs: lfw, embeddings: table, metric: DistanceMetric(rawValue: metric) ?? .cosine)
          if json {
            print(String(decoding: try report.jsonData(pretty: true), as: UTF8.self))
          } else {
            print(report.renderText())
          }
        } catch let e as ExitCode { throw e } catch {
          FileHandle.standardError.write(Data("error: \(error)\n".utf8))
          throw ExitCode.failure
        }
      }
    }
  }
}

/// Reads a whole file, or throws a ``Support/FileSystemError`` naming it and what it is.
func readFile(_ path: String, _ subject: String) throws -> Data {
  try FileSystem.read(path, subject)
}
