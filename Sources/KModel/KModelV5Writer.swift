import K210
import Quantization

/// Writes a ``K210Executor`` as an nncase 1.x kmodel V5 that `nncase.Simulator` 1.9 and the
/// nncase runtime load (`k210.md` §6): a `stackvm` entry module that quantizes the float32
/// input, runs the CPU ops between KPU islands on uint8 codes (upsample, max pooling, concat,
/// format changes, depthwise stride-2 slices; ``V5Lowering``), calls one `k210` function per chain of KPU layers and
/// dequantizes the outputs; and a `k210` module with the weights, BN words and activation tables
/// in `.rdata` and the upload, `kpu_conv2d` and download ops of each function in `.text`, the
/// layer words as in V3 except that KPU addresses are rows of nncase's `mem_kpu` pool.
///
/// Global average pooling and dense run in float (REDUCE, MATMUL); other float CPU layers
/// (sigmoid, softmax, add, …) are not written yet: the error names the node.
public enum KModelV5Writer {
  /// The model.
  public static func model(_ executor: K210Executor, limits: K210Limits = K210Limits()) throws -> KModelV5 {
    var lowering = V5Lowering(executor, limits: limits)
    try lowering.run()
    return try lowering.finish()
  }

  /// The file's bytes.
  public static func bytes(_ executor: K210Executor, limits: K210Limits = K210Limits()) throws -> [UInt8] {
    try model(executor, limits: limits).serialized()
  }
}
