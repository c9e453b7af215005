import Foundation

/// Small constructors for ONNX messages, shared by the float and QDQ exporters.
enum ONNXBuilding {
  /// A node of the default domain.
  static func node(
    _ op: String, name: String, inputs: [String], outputs: [String], attributes: [Onnx_AttributeProto] = []
  ) -> Onnx_NodeProto {
    var n = Onnx_NodeProto()
    n.opType = op
    n.name = name
    n.input = inputs
    n.output = outputs
    n.attribute = attributes
    return n
  }

  /// An integer attribute.
  static func attribute(_ name: String, int value: Int) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .int
    a.i = Int64(value)
    return a
  }

  /// A list-of-integers attribute.
  static func attribute(_ name: String, ints values: [Int]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .ints
    a.ints = values.map(Int64.init)
    return a
  }

  /// A float attribute.
  static func attribute(_ name: String, float value: Float) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .float
    a.f = value
    return a
  }

  /// A string attribute.
  static func attribute(_ name: String, string value: String) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .string
    a.s = Data(value.utf8)
    return a
  }

  /// A float32 tensor value description whose first axis is the symbolic batch `N`.
  static func valueInfo(_ name: String, shape: [Int], batchSymbol: String = "N") -> Onnx_ValueInfoProto {
    var v = Onnx_ValueInfoProto()
    v.name = name
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    var s = Onnx_TensorShapeProto()
    s.dim = shape.enumerated().map { i, extent in
      var d = Onnx_TensorShapeProto.Dimension()
      if i == 0 { d.dimParam = batchSymbol } else { d.dimValue = Int64(extent) }
      return d
    }
    tensor.shape = s
    var type = Onnx_TypeProto()
    type.tensorType = tensor
    v.type = type
    return v
  }
}
