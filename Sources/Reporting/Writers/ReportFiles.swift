import Charts
import Foundation
import Support

/// Writes a rendered document: `<stem>.html`, `<stem>.md` and the PNG files of `figures/`.
enum ReportFiles {
  /// Writes the HTML page, the Markdown page and every figure and image of `document` into
  /// `directory` (created if needed). Returns the written paths relative to `directory`.
  @discardableResult
  static func write(_ document: ReportDocument, to directory: URL, stem: String, figuresFolder: String = "figures")
    throws -> [String]
  {
    let figures = directory.appendingPathComponent(figuresFolder)
    let needsFolder = !document.figures.isEmpty || !document.images.isEmpty
    let folder = needsFolder ? figures : directory
    do {
      try FileSystem.createFolder(folder)
    } catch let error as FileSystemError {
      throw ReportError.writeFailed(path: folder.path, reason: error.reason)
    }
    var written: [String] = []
    for figure in document.figures {
      let png: Data
      do {
        png = try PNGRenderer.render(figure.scene, scale: 2)
      } catch {
        throw ReportError.figureFailed(figure: figure.id, reason: "\(error)")
      }
      try atomicWrite(png, to: figures.appendingPathComponent("\(figure.id).png"))
      written.append("\(figuresFolder)/\(figure.id).png")
    }
    for image in document.images {
      try atomicWrite(image.png, to: figures.appendingPathComponent(image.fileName))
      written.append("\(figuresFolder)/\(image.fileName)")
    }
    try atomicWrite(Data(HTMLRenderer.render(document).utf8), to: directory.appendingPathComponent("\(stem).html"))
    try atomicWrite(
      Data(MarkdownRenderer.render(document, figuresFolder: figuresFolder).utf8),
      to: directory.appendingPathComponent("\(stem).md"))
    return ["\(stem).html", "\(stem).md"] + written
  }

  /// Writes `data` atomically (``Support/AtomicFile``), with the failure as a report error.
  static func atomicWrite(_ data: Data, to url: URL) throws {
    do {
      try AtomicFile.write(data, to: url.path)
    } catch let error as FileSystemError {
      throw ReportError.writeFailed(path: url.path, reason: error.reason)
    }
  }
}
