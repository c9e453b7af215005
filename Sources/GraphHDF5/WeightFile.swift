import Foundation
import Graph
import HDF5
import Support
import Tensors

/// Parameters and BatchNorm statistics in HDF5, readable with h5py and PyTorch.
///
/// Layout (format version 1):
///
///     /                         attrs: format = "workbench-weights", format_version = 1,
///                                      model = <graph name>, definition_sha256 = <hex or "">
///     /parameters/<node>/<role> the parameter's element type (float32, or int8, uint8, int16,
///                               int32 for quantized models), PyTorch's layout (conv weight
///                               OIHW, dense [out, in], BatchNorm weight, bias, running_mean,
///                               running_var)
///     /model/graph              1 string: the graph as JSON (shapes, no values)
///     /model/definition         1 string: the JSON model definition (when known)
///     /model/<attachment>       1 string each: JSON documents a caller attaches, e.g.
///                               `quantization` (the side table of a quantized model)
///
/// so that `torch.from_numpy(f["parameters/conv1/weight"][()])` is the tensor a PyTorch
/// `Conv2d` expects. Files are written to a temporary name and renamed into place.
public enum WeightFile {
  /// The format version written here.
  public static let formatVersion = 1

  /// Saves every parameter of `graph` (which must have values) and the graph's structure.
  /// - Parameters:
  ///   - graph: the model with parameter values (e.g. GraphTraining's `GraphExecutor.exportGraph()`).
  ///   - path: the file to write (replaced atomically).
  ///   - definition: the JSON definition it was built from, stored with its SHA-256.
  ///   - attachments: text documents stored as `/model/<name>` (names other than `graph` and
  ///     `definition`), read back with ``attachment(_:in:)``.
  /// - Throws: ``WeightFileError/missingValue(file:tensor:)`` or an `HDF5Error`.
  public static func save(
    _ graph: ModelGraph, to path: String, definition: ModelDefinition? = nil, attachments: [String: String] = [:]
  ) throws {
    try AtomicFile.write(to: path, "the weight file") { temporary in
      let file = try HDF5File.create(at: temporary, overwrite: true)
      let root = file.root
      try root.setAttribute("format", .string("workbench-weights"))
      try root.setAttribute("format_version", .int(Int64(formatVersion)))
      try root.setAttribute("model", .string(graph.name))
      try root.setAttribute("definition_sha256", .string(definition?.sha256 ?? ""))
      for (key, node, role, parameter) in orderedTensors(graph) {
        guard let data = parameter.data else { throw WeightFileError.missingValue(file: path, tensor: key) }
        try write(data, shape: parameter.shape, to: "parameters/\(node)/\(role)", in: root)
      }
      try root.writeStrings([try structureJSON(graph)], to: "model/graph")
      if let definition { try root.writeStrings([definition.source], to: "model/definition") }
      for (name, text) in attachments.sorted(by: { $0.key < $1.key }) where name != "graph" && name != "definition" {
        try root.writeStrings([text], to: "model/\(name)")
      }
      try file.close()
    }
  }

  /// Returns `graph` with every parameter value read from the file at `path`, each as the
  /// parameter's element type.
  /// - Throws: ``WeightFileError`` naming the first tensor (in node order) whose shape or
  ///   element type differs, that is missing, or that the graph does not have; `HDF5Error` for
  ///   unreadable files.
  public static func load(_ path: String, into graph: ModelGraph) throws -> ModelGraph {
    let file = try HDF5File.open(path)
    defer { try? file.close() }
    guard file.root.contains("parameters") else {
      throw WeightFileError.notAWeightFile(file: path, reason: "it has no /parameters group")
    }
    let parameters = try file.root.group("parameters")
    var result = graph
    var expected = Set<String>()
    for (key, node, role, parameter) in orderedTensors(graph) {
      let name = "\(node)/\(role)"
      expected.insert(name)
      guard parameters.contains(name), try parameters.kind(of: name) == .dataset else {
        throw WeightFileError.missingTensor(file: path, graph: graph.name, tensor: key, shape: parameter.shape)
      }
      let dataset = try parameters.dataset(name)
      guard dataset.shape == parameter.shape else {
        throw WeightFileError.shapeMismatch(
          file: path, graph: graph.name, tensor: key, fileShape: dataset.shape, graphShape: parameter.shape)
      }
      result.parameters[key]?.data = try read(
        dataset, as: parameter.elementType, file: path, graph: graph.name, tensor: key)
    }
    for node in try parameters.childNames() {
      guard try parameters.kind(of: node) == .group else { continue }
      for role in try parameters.group(node).childNames() where !expected.contains("\(node)/\(role)") {
        let shape = try parameters.dataset("\(node)/\(role)").shape
        throw WeightFileError.unexpectedTensor(
          file: path, graph: graph.name, tensor: Parameter.key(node: node, role: role), shape: shape)
      }
    }
    return result
  }

  /// Reads a self-contained file: the stored graph with its values, and the definition text.
  /// - Throws: ``WeightFileError`` or `HDF5Error`; decoding errors for a corrupt graph.
  public static func read(_ path: String) throws -> (graph: ModelGraph, definition: String?) {
    let file = try HDF5File.open(path)
    let text: String
    let definition: String?
    do {
      defer { try? file.close() }
      guard file.root.contains("model/graph") else {
        throw WeightFileError.notAWeightFile(file: path, reason: "it has no /model/graph")
      }
      text = try file.root.dataset("model/graph").readStrings().first ?? ""
      definition =
        file.root.contains("model/definition")
        ? try file.root.dataset("model/definition").readStrings().first : nil
    }
    let graph = try JSONDecoder().decode(ModelGraph.self, from: Data(text.utf8))
    return (try load(path, into: graph), definition)
  }

  /// The text stored under `/model/<name>` by ``save(_:to:definition:attachments:)``, or nil
  /// when the file has none.
  /// - Throws: `HDF5Error` for unreadable files.
  public static func attachment(_ name: String, in path: String) throws -> String? {
    let file = try HDF5File.open(path)
    defer { try? file.close() }
    guard file.root.contains("model/\(name)") else { return nil }
    return try file.root.dataset("model/\(name)").readStrings().first
  }

  /// Writes `data` as a dataset of its own element type.
  private static func write(_ data: ParameterData, shape: [Int], to name: String, in group: HDF5Group) throws {
    switch data {
    case let .float32(t): try group.write(t.scalars, shape: shape, to: name)
    case let .int8(t): try group.write(t.scalars, shape: shape, to: name)
    case let .uint8(t): try group.write(t.scalars, shape: shape, to: name)
    case let .int16(t): try group.write(t.scalars, shape: shape, to: name)
    case let .int32(t): try group.write(t.scalars, shape: shape, to: name)
    }
  }

  /// Reads `dataset` as `type`. A float32 parameter accepts any stored float type (HDF5
  /// converts); an integer parameter needs exactly its type, since converting quantized values
  /// would change their meaning.
  private static func read(
    _ dataset: HDF5Dataset, as type: Parameter.ElementType, file: String, graph: String, tensor: String
  ) throws -> ParameterData {
    let stored = dataset.elementType
    let fits = type == .float32 ? (stored == .float32 || stored == .float64) : stored.description == type.rawValue
    guard fits else {
      throw WeightFileError.elementTypeMismatch(
        file: file, graph: graph, tensor: tensor, fileType: stored.description, graphType: type.rawValue)
    }
    let shape = dataset.shape
    switch type {
    case .float32: return .float32(Tensor(shape: shape, scalars: try dataset.read(as: Float.self)))
    case .int8: return .int8(Tensor(shape: shape, scalars: try dataset.read(as: Int8.self)))
    case .uint8: return .uint8(Tensor(shape: shape, scalars: try dataset.read(as: UInt8.self)))
    case .int16: return .int16(Tensor(shape: shape, scalars: try dataset.read(as: Int16.self)))
    case .int32: return .int32(Tensor(shape: shape, scalars: try dataset.read(as: Int32.self)))
    }
  }

  /// Parameters in node order, then in the op's role order.
  static func orderedTensors(_ graph: ModelGraph) -> [(key: String, node: String, role: String, parameter: Parameter)] {
    graph.nodes.flatMap { node in graph.parameters(of: node).map { ($0.name, node.name, $0.role, $0.parameter) } }
  }

  /// The graph as canonical JSON without parameter values.
  static func structureJSON(_ graph: ModelGraph) throws -> String {
    var shapeOnly = graph
    for key in shapeOnly.parameters.keys { shapeOnly.parameters[key]?.data = nil }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(shapeOnly), as: UTF8.self)
  }
}
