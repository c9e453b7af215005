import ArgumentParser
import Datasets

extension Workbench {
  /// `workbench data import yolo|coco|imagefolder|lfw SOURCE --out FILE …`.
  struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import a YOLO, COCO, image-folder or LFW dataset into a dataset file.",
      discussion: """
        yolo SOURCE:        SOURCE/images (+ SOURCE/labels, optional SOURCE/classes.txt), optionally per split.
        coco SOURCE:        SOURCE is the image folder; --annotations names the instances JSON.
        imagefolder SOURCE: one folder per class, optionally under train/, val/, test/.
        lfw SOURCE:         SOURCE/Name/Name_0001.jpg; --pairs names pairs.txt.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case yolo, coco, imagefolder, lfw }

    @Argument(help: "The input format: yolo, coco, imagefolder or lfw.")
    var format: Format

    @Argument(help: "The input folder.")
    var source: String

    @Option(name: .shortAndLong, help: "The dataset file to write (.h5).")
    var out: String

    @Option(help: "coco: the annotation JSON file.")
    var annotations: String?

    @Option(help: "lfw: the pairs.txt file.")
    var pairs: String?

    @Option(help: "coco, lfw: the split to write (train, val or test).")
    var split: String?

    @Option(help: "Resize every image to WIDTHxHEIGHT (letterboxed unless --stretch).")
    var size: String?

    @Flag(help: "Stretch to --size instead of letterboxing.")
    var stretch = false

    @Option(help: "1 (gray) or 3 (RGB).")
    var channels: Int = 3

    func validate() throws {
      if format == .coco && annotations == nil { throw ValidationError("coco needs --annotations FILE.json.") }
      if let split, !["train", "val", "test"].contains(split) {
        throw ValidationError("--split must be train, val or test.")
      }
      if channels != 1 && channels != 3 { throw ValidationError("--channels must be 1 or 3.") }
      _ = try parsedSize()
    }

    func parsedSize() throws -> (Int, Int)? {
      guard let size else { return nil }
      return try positivePair(size, option: "--size", form: "WIDTHxHEIGHT", example: "224x224")
    }

    func run() throws {
      var options = ImportOptions(letterbox: !stretch, channels: channels)
      if let (width, height) = try parsedSize() { (options.width, options.height) = (width, height) }
      let hash: String
      switch format {
      case .yolo:
        hash = try YOLOImporter(root: source, options: options).write(to: out)
      case .coco:
        hash = try COCOImporter(
          annotations: annotations ?? "", imageFolder: source, split: split ?? "train", options: options
        ).write(to: out)
      case .imagefolder:
        hash = try ImageFolderImporter(root: source, options: options).write(to: out)
      case .lfw:
        hash = try LFWImporter(root: source, pairsFile: pairs, split: split ?? "test", options: options).write(to: out)
      }
      print("wrote \(out)\ncontent_hash: \(hash)")
    }
  }
}
