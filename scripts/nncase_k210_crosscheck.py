#!/usr/bin/env python3
"""Compile small ONNX models with nncase 1.9 for the K210 (PTQ, no_clip calibration) and run
them in nncase.Simulator, so that Workbench's K210 quantizer/executor can be compared with
nncase on the same float weights and calibration data (Tests/KModelTests/NNCaseCrossCheckTests).

Usage: nncase_k210_crosscheck.py OUTDIR
       nncase_k210_crosscheck.py --run KMODEL INPUTS.npy OUTPUTS.npy   (run a kmodel, e.g. Workbench's V5,
                                                                        in nncase.Simulator, one image at a time;
                                                                        several outputs also go to OUTPUTS.k.npy)

Needs Python 3.10 with nncase==1.9.0.20230322, onnx==1.14.1, numpy<2, onnxruntime==1.16.3
(docs/reference/k210.md section 13). For every model it writes to OUTDIR/<model>/:
  <node>.weight.npy, <node>.bias.npy   float32 weights (OIHW) and biases of each conv
  calibration.npy                      float32 [N, 3, 16, 16] PTQ samples (uniform in [-1, 1])
  inputs.npy                           float32 [M, 3, 16, 16] test images
  nncase.npy                           nncase.Simulator outputs for the test images
  onnxruntime.npy                      float reference outputs
  model.kmodel                         the V5 kmodel nncase wrote
and OUTDIR/summary.json with the nncase version and compile times.
"""
import json
import os
import sys
import time

import numpy as np
import onnxruntime  # must be imported before nncase (k210.md section 13, pitfall 1)
import nncase
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

SIZE = 16


def conv(nodes, inits, rng, name, x, cin, cout, k, stride=1, group=1, act=None):
    """Appends a conv (and its activation) and returns the output name."""
    w = rng.uniform(-0.5, 0.5, size=(cout, cin // group, k, k)).astype(np.float32)
    b = rng.uniform(-0.2, 0.2, size=(cout,)).astype(np.float32)
    inits += [numpy_helper.from_array(w, name + ".weight"), numpy_helper.from_array(b, name + ".bias")]
    out = name + ".out"
    p = k // 2
    nodes.append(helper.make_node("Conv", [x, name + ".weight", name + ".bias"], [out], name=name,
                                  kernel_shape=[k, k], strides=[stride, stride], pads=[p, p, p, p], group=group))
    if act == "relu":
        nodes.append(helper.make_node("Relu", [out], [name + ".act"], name=name + "_relu"))
        out = name + ".act"
    elif act == "leaky":
        nodes.append(helper.make_node("LeakyRelu", [out], [name + ".act"], name=name + "_leaky", alpha=0.1))
        out = name + ".act"
    return out


def build(kind, seed):
    rng = np.random.default_rng(seed)
    nodes, inits = [], []
    x = "image"
    if kind == "conv-relu-conv1x1":
        y = conv(nodes, inits, rng, "c1", x, 3, 8, 3, act="relu")
        y = conv(nodes, inits, rng, "c2", y, 8, 4, 1)
        shape = [1, 4, SIZE, SIZE]
    elif kind == "stride2-depthwise":
        y = conv(nodes, inits, rng, "c1", x, 3, 8, 3, stride=2, act="relu")
        y = conv(nodes, inits, rng, "dw", y, 8, 8, 3, group=8, act="relu")
        y = conv(nodes, inits, rng, "c2", y, 8, 4, 1)
        shape = [1, 4, SIZE // 2, SIZE // 2]
    elif kind == "leaky":
        y = conv(nodes, inits, rng, "c1", x, 3, 8, 3, act="leaky")
        y = conv(nodes, inits, rng, "c2", y, 8, 8, 3, act="relu")
        y = conv(nodes, inits, rng, "c3", y, 8, 4, 1)
        shape = [1, 4, SIZE, SIZE]
    else:
        raise ValueError(kind)
    graph = helper.make_graph(
        nodes, kind, [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info(y, TensorProto.FLOAT, shape)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 7
    model = shape_inference.infer_shapes(model)  # the 1.9 importer needs value_info (pitfall 2)
    onnx.checker.check_model(model)
    return model, inits


def compile_k210(model_bytes, calibration):
    co = nncase.CompileOptions()
    co.target = "k210"
    co.input_type = "float32"
    co.output_type = "float32"
    co.quant_type = "uint8"
    co.w_quant_type = "uint8"
    co.preprocess = False
    compiler = nncase.Compiler(co)
    compiler.import_onnx(model_bytes, nncase.ImportOptions())
    ptq = nncase.PTQTensorOptions()
    ptq.calibrate_method = "no_clip"
    ptq.samples_count = calibration.shape[0]
    ptq.set_tensor_data(calibration.astype(np.float32).tobytes())
    compiler.use_ptq(ptq)
    compiler.compile()
    return compiler.gencode_tobytes()


def main(out_dir):
    summary = {"nncase": getattr(nncase, "__version__", "1.9.0"), "models": {}}
    stdout = os.dup(1)
    for index, kind in enumerate(["conv-relu-conv1x1", "stride2-depthwise", "leaky"]):
        d = os.path.join(out_dir, kind)
        os.makedirs(d, exist_ok=True)
        model, inits = build(kind, seed=100 + index)
        for t in inits:
            np.save(os.path.join(d, t.name + ".npy"), numpy_helper.to_array(t))
        rng = np.random.default_rng(200 + index)
        calibration = rng.uniform(-1, 1, size=(8, 3, SIZE, SIZE)).astype(np.float32)
        inputs = rng.uniform(-1, 1, size=(4, 3, SIZE, SIZE)).astype(np.float32)
        np.save(os.path.join(d, "calibration.npy"), calibration)
        np.save(os.path.join(d, "inputs.npy"), inputs)
        session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        np.save(os.path.join(d, "onnxruntime.npy"),
                np.concatenate([session.run(None, {"image": x[None]})[0] for x in inputs]))
        start = time.time()
        os.dup2(2, 1)  # the compiler prints through C++ stdout (pitfall 5)
        try:
            kmodel = compile_k210(model.SerializeToString(), calibration)
        finally:
            sys.stdout.flush()
            os.dup2(stdout, 1)
        seconds = time.time() - start
        with open(os.path.join(d, "model.kmodel"), "wb") as f:
            f.write(kmodel)
        sim = nncase.Simulator()
        sim.load_model(kmodel)
        outputs = []
        for x in inputs:
            sim.set_input_tensor(0, nncase.RuntimeTensor.from_numpy(np.ascontiguousarray(x[None])))
            sim.run()
            outputs.append(sim.get_output_tensor(0).to_numpy())
        np.save(os.path.join(d, "nncase.npy"), np.concatenate(outputs).astype(np.float32))
        summary["models"][kind] = {"compile_seconds": round(seconds, 3), "kmodel_bytes": len(kmodel)}
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)


def run(kmodel_path, inputs_path, outputs_path):
    """Runs KMODEL on every image of INPUTS.npy; saves output 0 of every image to OUTPUTS.npy and,
    for a kmodel with several outputs, output k to OUTPUTS.k.npy as well."""
    with open(kmodel_path, "rb") as f:
        kmodel = f.read()
    sim = nncase.Simulator()
    sim.load_model(kmodel)
    outputs = [[] for _ in range(sim.outputs_size)]
    for x in np.load(inputs_path):
        sim.set_input_tensor(0, nncase.RuntimeTensor.from_numpy(np.ascontiguousarray(x[None])))
        sim.run()
        for k in range(sim.outputs_size):
            outputs[k].append(sim.get_output_tensor(k).to_numpy())
    np.save(outputs_path, np.concatenate(outputs[0]).astype(np.float32))
    if sim.outputs_size > 1:
        stem = outputs_path[:-4] if outputs_path.endswith(".npy") else outputs_path
        for k in range(sim.outputs_size):
            np.save("%s.%d.npy" % (stem, k), np.concatenate(outputs[k]).astype(np.float32))


if __name__ == "__main__":
    if sys.argv[1] == "--run":
        run(*sys.argv[2:5])
    else:
        main(sys.argv[1])
