import Datasets
import Foundation
import Images
import XCTest

final class ImporterTests: XCTestCase {
  var dir: TemporaryDirectory!
  var out: String { dir.file("out/data.h5") }

  override func setUpWithError() throws {
    dir = try TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
  }

  override func tearDown() { dir.remove() }

  /// The output folder must be empty after a failed import: no dataset, no temporary file.
  func assertNothingWritten(file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(
      (try? FileManager.default.contentsOfDirectory(atPath: dir.file("out"))) ?? ["?"], [], file: file, line: line)
  }

  // MARK: YOLO

  func makeYOLO() throws {
    try dir.write("cat\ndog\n", to: "yolo/classes.txt")
    try dir.writePNG("yolo/images/a.png", width: 20, height: 10, value: 10)
    try dir.writePNG("yolo/images/b.png", width: 20, height: 10, value: 20)
    try dir.write("1 0.5 0.5 0.2 0.4\n0 0.25 0.25 0.1 0.1\n", to: "yolo/labels/a.txt")
  }

  func testYOLOImportWithLetterbox() throws {
    try makeYOLO()
    var options = ImportOptions(width: 20, height: 20)
    options.channels = 1
    let hash = try YOLOImporter(root: dir.file("yolo"), options: options).write(to: out)
    let file = try DatasetFile(path: out)
    XCTAssertEqual(file.contentHash, hash)
    XCTAssertEqual(file.classNames, ["cat", "dog"])
    let train = try file.split("train")
    XCTAssertEqual([train.count, train.width, train.height, train.channels], [2, 20, 20, 1])
    let boxes = try train.boxes()
    XCTAssertEqual(boxes[1], [])
    XCTAssertEqual(boxes[0][0].classIndex, 1)
    XCTAssertEqual(boxes[0][0].cy, 0.5, accuracy: 1e-5)
    XCTAssertEqual(boxes[0][0].h, 0.2, accuracy: 1e-5)  // 10 → 20 rows: half height, padded
    XCTAssertEqual(boxes[0][1].cy, (0.25 * 10 + 5) / 20, accuracy: 1e-5)
    XCTAssertEqual(try train.image(at: 0)[x: 10, y: 1, c: 0], 114)
  }

  func testYOLOLabelOutOfRangeNamesFileAndLine() throws {
    try makeYOLO()
    try dir.write("0 0.5 0.5 0.2 0.2\n2 0.5 0.5 0.2 0.2\n", to: "yolo/labels/b.txt")
    XCTAssertThrowsError(try YOLOImporter(root: dir.file("yolo")).write(to: out)) { error in
      XCTAssertEqual(
        "\(error)", "\(self.dir.file("yolo/labels/b.txt")):2: class 2 is out of range; there are 2 classes (0...1).")
    }
    assertNothingWritten()
  }

  func testYOLOBoxOutsideImageNamesFileAndLine() throws {
    try makeYOLO()
    try dir.write("0 0.95 0.5 0.2 0.2\n", to: "yolo/labels/b.txt")
    XCTAssertThrowsError(try YOLOImporter(root: dir.file("yolo")).write(to: out)) { error in
      XCTAssertEqual(
        "\(error)",
        "\(self.dir.file("yolo/labels/b.txt")):1: box 0 0.95 0.5 0.2 0.2 lies outside the image (normalised coordinates must be within 0...1 and sizes positive)."
      )
    }
    assertNothingWritten()
  }

  func testYOLOMalformedLine() throws {
    try makeYOLO()
    try dir.write("0 0.5 0.5\n", to: "yolo/labels/b.txt")
    XCTAssertThrowsError(try YOLOImporter(root: dir.file("yolo")).write(to: out)) { error in
      XCTAssertEqual(
        "\(error)",
        "\(self.dir.file("yolo/labels/b.txt")):1: expected 'class cx cy w h' (an integer and four numbers), got '0 0.5 0.5'."
      )
    }
  }

  func testYOLOEmptyFolderAndCorruptImage() throws {
    try FileManager.default.createDirectory(atPath: dir.file("empty/images"), withIntermediateDirectories: true)
    XCTAssertThrowsError(try YOLOImporter(root: dir.file("empty")).write(to: out)) { error in
      XCTAssertEqual("\(error)", "Folder '\(self.dir.file("empty/images"))' contains no PNG or JPEG images.")
    }
    try makeYOLO()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("yolo/images/b.png")))
    try bytes.prefix(bytes.count - 15).write(to: URL(fileURLWithPath: dir.file("yolo/images/b.png")))
    XCTAssertThrowsError(try YOLOImporter(root: dir.file("yolo")).write(to: out)) { error in
      XCTAssertEqual(
        "\(error)",
        "PNG file '\(self.dir.file("yolo/images/b.png"))' is corrupt or truncated: unexpected end of data (the file is truncated)."
      )
    }
    assertNothingWritten()
  }

  func testTruncatedJPEGInImportNamesTheFile() throws {
    try dir.writePNG("folder/cat/a.png")
    let jpeg = try Data(contentsOf: Fixtures.jpeg)
    try FileManager.default.createDirectory(atPath: dir.file("folder/dog"), withIntermediateDirectories: true)
    try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: dir.file("folder/dog/b.jpg")))
    XCTAssertThrowsError(
      try ImageFolderImporter(root: dir.file("folder"), options: ImportOptions(width: 16, height: 12)).write(to: out)
    ) { error in
      XCTAssertEqual(
        "\(error)",
        "JPEG file '\(self.dir.file("folder/dog/b.jpg"))' is corrupt or truncated: Premature end of JPEG file.")
    }
    assertNothingWritten()
  }

  // MARK: COCO

  func cocoJSON(bbox: String = "[2, 1, 6, 4]", file: String = "a.png") -> String {
    """
    {"images": [{"id": 1, "file_name": "\(file)", "width": 20, "height": 10}, {"id": 2, "file_name": "b.png"}],
     "annotations": [{"id": 7, "image_id": 1, "category_id": 3, "bbox": \(bbox)},
                     {"id": 8, "image_id": 1, "category_id": 1, "bbox": [0, 0, 20, 10], "iscrowd": 1}],
     "categories": [{"id": 3, "name": "dog"}, {"id": 1, "name": "cat"}]}
    """
  }

  func testCOCOImport() throws {
    try dir.writePNG("coco/a.png")
    try dir.writePNG("coco/b.png")
    try dir.write(cocoJSON(), to: "coco/instances.json")
    try COCOImporter(annotations: dir.file("coco/instances.json"), imageFolder: dir.file("coco"), split: "val").write(
      to: out)
    let file = try DatasetFile(path: out)
    XCTAssertEqual(file.classNames, ["cat", "dog"])
    let boxes = try file.split("val").boxes()
    XCTAssertEqual(boxes.map(\.count), [1, 0])
    let box = boxes[0][0]
    XCTAssertEqual(box.classIndex, 1)
    for (value, expected) in zip([box.cx, box.cy, box.w, box.h], [0.25, 0.3, 0.3, 0.4] as [Float]) {
      XCTAssertEqual(value, expected, accuracy: 1e-6)
    }
  }

  func testCOCOBoxOutsideImageAndMissingImage() throws {
    try dir.writePNG("coco/a.png")
    try dir.writePNG("coco/b.png")
    try dir.write(cocoJSON(bbox: "[15, 1, 10, 4]"), to: "coco/instances.json")
    let json = dir.file("coco/instances.json")
    XCTAssertThrowsError(try COCOImporter(annotations: json, imageFolder: dir.file("coco")).write(to: out)) { error in
      XCTAssertEqual(
        "\(error)",
        "\(json): box [15.0, 1.0, 10.0, 4.0] of annotation 7 on 'a.png' (20x10) lies outside the image (normalised coordinates must be within 0...1 and sizes positive)."
      )
    }
    try dir.write(cocoJSON(file: "missing.png"), to: "coco/instances.json")
    XCTAssertThrowsError(try COCOImporter(annotations: json, imageFolder: dir.file("coco")).write(to: out)) { error in
      XCTAssertEqual("\(error)", "\(json): file '\(self.dir.file("coco/missing.png"))' does not exist.")
    }
    try dir.write("{\"images\": []", to: "coco/instances.json")
    XCTAssertThrowsError(try COCOImporter(annotations: json, imageFolder: dir.file("coco")).write(to: out)) { error in
      XCTAssertTrue(
        "\(error)".hasPrefix("File '\(json)' is not a valid dataset input: it is not COCO detection JSON"), "\(error)")
    }
    assertNothingWritten()
  }

  // MARK: Image folders

  func testImageFolderImportWithSplits() throws {
    try dir.writePNG("cls/train/cat/1.png", value: 1)
    try dir.writePNG("cls/train/cat/2.png", value: 2)
    try dir.writePNG("cls/train/dog/1.png", value: 3)
    try dir.writePNG("cls/val/dog/9.png", value: 4)
    try ImageFolderImporter(root: dir.file("cls")).write(to: out)
    let file = try DatasetFile(path: out)
    XCTAssertEqual(file.classNames, ["cat", "dog"])
    XCTAssertEqual(file.splitNames, ["train", "val"])
    XCTAssertEqual(try file.split("train").labels(), [0, 0, 1])
    XCTAssertEqual(try file.split("val").labels(), [1])
    XCTAssertEqual(try file.split("val").image(at: 0)[x: 0, y: 0, c: 0], 4)
  }

  func testImageFolderEmptyFolders() throws {
    try FileManager.default.createDirectory(atPath: dir.file("none"), withIntermediateDirectories: true)
    XCTAssertThrowsError(try ImageFolderImporter(root: dir.file("none")).write(to: out)) { error in
      XCTAssertEqual("\(error)", "Folder '\(self.dir.file("none"))' contains no class folders.")
    }
    try dir.writePNG("cls/cat/1.png")
    try FileManager.default.createDirectory(atPath: dir.file("cls/dog"), withIntermediateDirectories: true)
    XCTAssertThrowsError(try ImageFolderImporter(root: dir.file("cls")).write(to: out)) { error in
      XCTAssertEqual("\(error)", "Folder '\(self.dir.file("cls/dog"))' contains no PNG or JPEG images.")
    }
    assertNothingWritten()
  }

  // MARK: LFW

  func makeLFW() throws {
    for (name, count) in [("Ann_Lee", 2), ("Bo_Chen", 1), ("Cy_Diaz", 1)] {
      for k in 1...count { try dir.writePNG("lfw/\(name)/\(name)_000\(k).png", value: UInt8(10 * k)) }
    }
  }

  func testLFWImportWithPairs() throws {
    try makeLFW()
    try dir.write("1\t1\nAnn_Lee\t1\t2\nBo_Chen\t1\tCy_Diaz\t1\n", to: "pairs.txt")
    try LFWImporter(root: dir.file("lfw"), pairsFile: dir.file("pairs.txt")).write(to: out)
    let test = try DatasetFile(path: out).split("test")
    XCTAssertEqual(try test.identityNames(), ["Ann_Lee", "Bo_Chen", "Cy_Diaz"])
    XCTAssertEqual(try test.identities(), [0, 0, 1, 2])
    XCTAssertEqual(
      try test.pairs(),
      [
        VerificationPair(first: 0, second: 1, isMatch: true, fold: 0),
        VerificationPair(first: 2, second: 3, isMatch: false, fold: 0),
      ])
  }

  func testLFWMissingFileNamedInPairs() throws {
    try makeLFW()
    try dir.write("1\t1\nAnn_Lee\t1\t3\nBo_Chen\t1\tCy_Diaz\t1\n", to: "pairs.txt")
    XCTAssertThrowsError(try LFWImporter(root: dir.file("lfw"), pairsFile: dir.file("pairs.txt")).write(to: out)) {
      error in
      XCTAssertEqual(
        "\(error)",
        "\(self.dir.file("pairs.txt")):2: file '\(self.dir.file("lfw/Ann_Lee/Ann_Lee_0003.jpg"))' does not exist.")
    }
    try dir.write("1\t1\nAnn_Lee\t1\nBo_Chen\t1\tCy_Diaz\t1\n", to: "pairs.txt")
    XCTAssertThrowsError(try LFWImporter(root: dir.file("lfw"), pairsFile: dir.file("pairs.txt")).write(to: out)) {
      error in
      XCTAssertEqual(
        "\(error)",
        "\(self.dir.file("pairs.txt")): pairs file line 2 (set 1): expected a matched pair 'name n1 n2' but found 2 fields."
      )
    }
    assertNothingWritten()
  }

  // MARK: Dataset files

  func testTruncatedDatasetFileNamesTheFile() throws {
    try makeYOLO()
    try YOLOImporter(root: dir.file("yolo")).write(to: out)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
    let cut = dir.file("cut.h5")
    try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: cut))
    XCTAssertThrowsError(
      try {
        let f = try DatasetFile(path: cut); _ = try f.computeContentHash()
      }()
    ) { error in
      XCTAssertTrue("\(error)".contains("'\(cut)'"), "\(error)")
    }
  }
}
