import ArgumentParser
import Tensors

extension Workbench {
  /// `workbench version`: prints the version and the numeric back end in use.
  struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the Workbench version and its numeric back end.")

    func run() throws {
      print("workbench \(WorkbenchVersion.string)")
      print(
        "BLAS: OpenBLAS \(BLAS.coreName) kernels (cblas_sgemm), single-threaded per call; kernels split batches into at most \(Parallel.maxChunks) fixed chunks"
      )
    }
  }
}
