// swift-tools-version:6.0
// Workbench: train → compress → quantize → evaluate → export → simulate → report, from one file.
// Library targets mirror the pipeline (see ../shared/docs/DESIGN.md); dependencies point down.
import Foundation
import PackageDescription

/// System libraries found through pkg-config; `scripts/bootstrap.sh` installs their -dev packages.
let systemLibraries: [Target] = [
  // OpenBLAS: header only; the library is dlopen-ed by Tensors/BLASLoader.swift (see there).
  .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
  .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
  .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
  .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
  .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
]

/// Library targets in dependency order (see DESIGN.md's layer table), each with a test target.
/// `testDependencies` are extra targets a test target needs beyond its library and the
/// library's own dependencies.
let libraries: [(name: String, dependencies: [Target.Dependency], testDependencies: [Target.Dependency])] = [
  // support: JSON values, atomic files and SHA-256 (swift-crypto), shared by every layer
  ("Support", [.product(name: "Crypto", package: "swift-crypto")], []),
  // vocabulary shared by the learning layer and the IR: Box, Anchor, YOLO box decoding
  ("Geometry", [], []),
  // numerics and autograd
  ("Tensors", ["CBLAS"], []),
  ("Autograd", ["Tensors"], ["TestSupport"]),
  // storage and images
  ("HDF5", ["CHDF5"], []),
  ("Images", ["Support", "CPNG", "CJPEG"], []),
  // model: the IR, op semantics (shape, cost, reference evaluation), passes and zoo, on Support,
  // Geometry and Tensors only, so exporters need neither Autograd nor libhdf5
  ("Graph", ["Support", "Geometry", "Tensors"], ["GraphFixtures", "CBLAS"]),
  // model adapter: weight files (HDF5) for Graph
  ("GraphHDF5", ["Graph", "HDF5", "Support", "Tensors"], ["GraphFixtures", "CHDF5", "CBLAS"]),
  // learning
  ("Datasets", ["Support", "Geometry", "HDF5", "Images", "Tensors"], ["CHDF5", "CPNG", "CJPEG", "CBLAS"]),
  (
    "Training", ["Support", "Geometry", "Autograd", "Tensors"],
    ["Graph", "GraphTraining", "Datasets", "HDF5", "CHDF5", "CBLAS", "TestSupport"]
  ),
  // training side of Graph: differentiable ops, the executor, and the adapters to the loop
  (
    "GraphTraining", ["Graph", "Geometry", "Autograd", "Tensors", "Training", "Datasets"],
    ["GraphFixtures", "CHDF5", "CBLAS", "TestSupport", "Quantization"]
  ),
  // compression: channel-pruning criteria that need gradients (first-order Taylor), the network-slimming
  // penalty, the compress settings and the driver a compress stage calls (the pruning passes are in Graph)
  (
    "Compression", ["Graph", "GraphTraining", "Autograd", "Tensors", "Training"],
    ["GraphFixtures", "CHDF5", "CBLAS", "TestSupport"]
  ),
  ("Metrics", ["Support", "Geometry"], []),
  // deployment: calibration, quantization schemes, fake-quant and integer executors, on Graph and Tensors only
  ("Quantization", ["Graph", "Tensors"], ["GraphFixtures", "CBLAS"]),
  // deployment: the K210 target (constraint check, partition, KPU RAM plan), on Graph only
  ("K210", ["Graph", "Support", "Tensors", "Geometry"], ["GraphFixtures", "RunFormat"]),
  // deployment: ONNX export (float and QDQ) and import, on Graph and Quantization; the protobuf
  // messages are generated once from Protos/onnx.proto (`make onnx-proto`) and committed
  (
    "ONNX", ["Graph", "Quantization", "Tensors", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
    ["GraphFixtures", "GraphHDF5", "Images", "Support", "CBLAS", "CHDF5", "CPNG", "CJPEG"]
  ),
  // deployment: the K210 .kmodel files (V3 writer, reader and bit-exact simulator) from a K210Executor
  ("KModel", ["Quantization", "K210", "Graph", "Tensors"], ["GraphFixtures", "CBLAS"]),
  // run format: the run-folder contract, written by Experiment, read by Reporting
  ("RunFormat", [], ["Training"]),
  // orchestration
  (
    "Experiment",
    [
      "Support", "Geometry", "Tensors", "Autograd", "HDF5", "Images", "Datasets", "Graph", "GraphHDF5", "Training",
      "GraphTraining", "Compression", "Metrics", "Quantization", "K210", "KModel", "ONNX", "RunFormat", "Charts",
    ], ["GraphFixtures", "CHDF5", "CBLAS", "TestSupport"]
  ),
  ("Charts", ["CCairo"], []),
  ("Reporting", ["Support", "Charts", "Metrics", "RunFormat"], ["CCairo"]),
  // interface
  (
    "WorkbenchCLI",
    [
      "Support", "Geometry", "Tensors", "Autograd", "HDF5", "Images", "Datasets", "Graph", "GraphHDF5", "Training",
      "GraphTraining", "Metrics", "Quantization", "K210", "KModel", "ONNX", "RunFormat", "Experiment", "Reporting",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ], ["GraphFixtures", "CHDF5", "TestSupport"]
  ),
]

/// The numeric kernels (and Support, which every layer calls) are compiled with optimisation in
/// debug builds too: unoptimised, their inner loops run 10–50× slower, which would make
/// `swift test` (a debug build) spend minutes in convolutions. (SHA-256's compression is
/// swift-crypto's assembly, fast in any build.)
/// Checks (preconditions, bounds) stay on, as in release builds.
let optimizedInDebug: Set<String> = ["Support", "Geometry", "Tensors", "Autograd", "Quantization", "KModel"]

/// Library code is compiled for the CPU it is built on (`-target-cpu native`, like clang's
/// `-march=native`): the baseline x86-64 target allows only SSE, so every vector loop of the
/// kernels (batch norm, pooling, im2col, the optimizers) ran four lanes wide on machines with
/// AVX2 or AVX-512. Numerics do not change — Swift never contracts a·b + c into a fused
/// multiply-add, and vector width does not change lane-wise arithmetic. Workbench is built from
/// source on the machine that runs it; set `WORKBENCH_PORTABLE=1` when building a binary for
/// other machines (e.g. a cluster with older CPUs).
let cpuFlags: [SwiftSetting] =
  ProcessInfo.processInfo.environment["WORKBENCH_PORTABLE"] == nil ? [.unsafeFlags(["-target-cpu", "native"])] : []

func librarySettings(_ name: String) -> [SwiftSetting] {
  cpuFlags + (optimizedInDebug.contains(name) ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : [])
}

/// Test folders that hold fixture files rather than sources.
let testFixtures: [String: [String]] = [
  "ImagesTests": ["Fixtures"], "ReportingTests": ["Fixtures"], "ONNXTests": ["Fixtures"],
]

let package = Package(
  name: "Workbench",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "workbench", targets: ["workbench"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // the SwiftProtobuf runtime library only; protoc-gen-swift is built outside the package
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: systemLibraries
    + libraries.map { lib in
      .target(
        name: lib.name, dependencies: lib.dependencies,
        swiftSettings: librarySettings(lib.name))
    }
    + libraries.map { lib in
      // A test target also depends directly on its library's dependencies: with only the
      // library listed, an incremental build did not recompile tests when a public signature
      // in a dependency (e.g. Autograd under Training) changed, and linking failed.
      .testTarget(
        name: "\(lib.name)Tests", dependencies: [.target(name: lib.name)] + lib.dependencies + lib.testDependencies,
        exclude: testFixtures["\(lib.name)Tests"] ?? [])
    }
    + [
      // Graph fixtures shared by the Graph, GraphHDF5 and GraphTraining tests.
      .target(name: "GraphFixtures", dependencies: ["Graph", "Tensors"], path: "Tests/GraphFixtures"),
      // The one finite-difference gradient checker, used only by test targets (never linked
      // into a library or executable); it imports XCTest.
      .target(name: "TestSupport", dependencies: ["Support", "Tensors", "Autograd"]),
      .testTarget(name: "TestSupportTests", dependencies: ["TestSupport", "Tensors", "Autograd"]),
      .executableTarget(name: "workbench", dependencies: ["WorkbenchCLI"]),
      // The benchmarks' driver logic (load accounting, verdicts, worker protocol; tested) and
      // Workbench's side of their workers (the models timed), shared by WorkbenchBench and TrainingBench.
      .target(name: "BenchProtocol", path: "Benchmarks/BenchProtocol"),
      .testTarget(name: "BenchProtocolTests", dependencies: ["BenchProtocol"]),
      .target(
        name: "BenchModels",
        dependencies: ["BenchProtocol", "Tensors", "Autograd", "Graph", "GraphTraining", "Training"],
        path: "Benchmarks/BenchModels"),
      .executableTarget(
        name: "WorkbenchBench", dependencies: ["BenchProtocol", "BenchModels", "Tensors", "Autograd", "Graph"],
        path: "Benchmarks/WorkbenchBench"),
      .executableTarget(name: "MetricsBench", dependencies: ["Metrics"], path: "Benchmarks/MetricsBench"),
      .executableTarget(name: "DataBench", dependencies: ["Datasets"], path: "Benchmarks/DataBench"),
      .executableTarget(
        name: "TrainingBench",
        dependencies: ["BenchProtocol", "BenchModels", "Geometry", "Datasets", "Graph", "GraphTraining", "Training"],
        path: "Benchmarks/TrainingBench"),
      .executableTarget(
        name: "ONNXBench", dependencies: ["Graph", "ONNX", "Tensors"], path: "Benchmarks/ONNXBench"),
      .executableTarget(
        name: "KModelBench", dependencies: ["Graph", "KModel", "Quantization", "Support", "Tensors"],
        path: "Benchmarks/KModelBench"),
      .executableTarget(
        name: "HashBench", dependencies: ["Support", .product(name: "Crypto", package: "swift-crypto")],
        path: "Benchmarks/HashBench"),
    ],
  swiftLanguageModes: [.v5]
)
