"""Checks ONNX files with onnx.checker (full check) and runs them in ONNX Runtime.

    python3 ort_run.py JOBS.json

JOBS.json is a list of {"model": path, "input": .npy path, "outputs": prefix}; for each job the
graph's outputs are written as <prefix>.<i>.npy in the graph's output order. Prints one line per
model; exits non-zero at the first failure, with the reason on stderr.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main():
    jobs = json.load(open(sys.argv[1]))
    for job in jobs:
        model = onnx.load(job["model"])
        onnx.checker.check_model(model, full_check=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        # Without VNNI (AVX2, AVX-512 without VNNI), ONNX Runtime's default u8·s8 kernels add
        # pairs of products in saturating 16-bit lanes (vpmaddubsw): on an AVX2 EPYC the QDQ
        # convolutions came out up to 71 LSB off. This option takes its exact u8·u8 kernels;
        # float models are unaffected.
        options.add_session_config_entry("session.x64quantprecision", "1")
        session = ort.InferenceSession(job["model"], options, providers=["CPUExecutionProvider"])
        x = np.load(job["input"]).astype(np.float32)
        outputs = session.run(None, {session.get_inputs()[0].name: x})
        for i, y in enumerate(outputs):
            np.save(f"{job['outputs']}.{i}.npy", np.ascontiguousarray(y, dtype=np.float32))
        print(f"{job['model']}: checked, {len(outputs)} outputs")


if __name__ == "__main__":
    main()
