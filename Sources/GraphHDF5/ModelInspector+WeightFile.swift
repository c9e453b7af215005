import Graph
import HDF5

extension ModelInspector {
  /// The inspection text for a zoo name, a JSON definition file, or a weight file (`.h5`, whose
  /// stored graph is used and the multipliers ignored): what `workbench inspect model` prints.
  /// - Throws: ``Graph/DefinitionError``, ``WeightFileError``, `HDF5Error` or
  ///   ``Graph/GraphValidationError``.
  public static func summary(of nameOrPath: String, options: BuildOptions = BuildOptions(), diagram: Diagram = .none)
    throws -> String
  {
    guard HDF5File.isHDF5(nameOrPath) else {
      return try summary(ofDefinition: nameOrPath, options: options, diagram: diagram)
    }
    let graph = try WeightFile.read(nameOrPath).graph
    let header = "Weights \(nameOrPath): graph '\(graph.name)' with \(graph.parameters.count) stored tensors"
    return try summary(of: graph, header: [header], diagram: diagram)
  }
}
