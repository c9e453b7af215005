#!/usr/bin/env python3
"""Compile an ONNX model with nncase 1.9 for the K210 (PTQ on random calibration images) and
report how nncase placed it: the runtime ops of every module (KPU convolutions, CPU ops) and the
memory summary it prints, so Workbench's K210 partition and memory plan can be compared with
nncase's own (Tests/WorkbenchCLITests/NNCasePartitionTests).

Usage: nncase_partition.py MODEL.onnx OUT.json

Needs Python 3.10 with nncase==1.9.0.20230322, onnx==1.14.1, numpy<2, onnxruntime==1.16.3
(docs/reference/k210.md section 13). OUT.json holds:
  ops      the runtime ops nncase emitted, in order (e.g. "KPUConv2D", "Dequantize", "ResizeImage")
  memory   the SUMMARY's ".input", ".output", ".data", "MODEL", "TOTAL" in bytes
  kmodel_bytes  the size of the kmodel it wrote
"""
import json
import os
import re
import sys
import tempfile

import numpy as np
import onnxruntime  # noqa: F401  must be imported before nncase (k210.md section 13, pitfall 1)
import nncase
import onnx
from onnx import shape_inference


def fixed_batch(model):
    """Sets a symbolic batch axis to 1 (nncase needs static shapes)."""
    for value in list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and not dims[0].HasField("dim_value"):
            dims[0].dim_value = 1
    return shape_inference.infer_shapes(model)


def main(path, out):
    model = fixed_batch(onnx.load(path))
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    dump = tempfile.mkdtemp(prefix="nncase-partition-")
    options = nncase.CompileOptions()
    options.target = "k210"
    options.input_type = "float32"
    options.output_type = "float32"
    options.quant_type = "uint8"
    options.w_quant_type = "uint8"
    options.preprocess = False
    options.dump_asm = True
    options.dump_ir = False
    options.dump_dir = dump
    compiler = nncase.Compiler(options)
    compiler.import_onnx(model.SerializeToString(), nncase.ImportOptions())
    ptq = nncase.PTQTensorOptions()
    ptq.samples_count = 4
    rng = np.random.default_rng(1)
    ptq.set_tensor_data(rng.uniform(0, 1, size=[4] + shape[1:]).astype(np.float32).tobytes())
    compiler.use_ptq(ptq)
    # the compiler prints its SUMMARY through C++ stdout: capture file descriptor 1
    log = os.path.join(dump, "compile.log")
    sys.stdout.flush()
    saved = os.dup(1)
    with open(log, "w") as f:
        os.dup2(f.fileno(), 1)
        try:
            compiler.compile()
            kmodel = compiler.gencode_tobytes()
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
    text = open(log).read()
    memory = {}
    units = {"B": 1, "KB": 1024, "MB": 1024 * 1024}
    for name, value, unit, raw in re.findall(r"^(\.input|\.output|\.data|MODEL|TOTAL)\s+([\d.]+)\s+(B|KB|MB)\s+\((\d+) B\)",
                                             text, flags=re.M):
        memory[name] = int(raw)
    ops = []
    for root, _, files in os.walk(dump):
        for f in sorted(files):
            if f.endswith("runtime_ops.txt"):
                for line in open(os.path.join(root, f)):
                    line = line.strip()
                    if line:
                        ops.append(line)
    json.dump({"ops": ops, "memory": memory, "kmodel_bytes": len(kmodel), "log": text[-4000:],
               "files": sorted(os.path.relpath(os.path.join(r, f), dump) for r, _, fs in os.walk(dump) for f in fs)},
              open(out, "w"), indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
