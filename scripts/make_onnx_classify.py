"""Makes the ONNX model of Experiments/onnx-classify.json: a small digit classifier trained in
PyTorch, exported by torch.onnx, and the reference numbers the experiment's test checks.

    python3 scripts/make_onnx_classify.py [--workbench .build/debug/workbench]   # from the package root

1. Draws a training set with `workbench data generate digits` (seed 101: other images than the
   experiment's, which uses seed 1), the same size and look as classify.json's data.
2. Trains a 3-conv CNN (BatchNorm, ReLU, max pooling, global average pooling, Linear) with AdamW,
   seeded, on CPU; exports it at opset 13 with a dynamic batch to Experiments/onnx/digits-cnn.onnx.
3. Runs the experiment with `workbench run` (the full file, and the small variant the test runs),
   reads the validation images of each run's dataset, and computes PyTorch's logits (ONNX
   Runtime's with --skip-training), top-1 accuracy and macro F1 on them. Writes Experiments/onnx/digits-cnn.expected.json with those
   numbers, the overrides of the small variant and PyTorch's logits of its first images, and
   prints Workbench's numbers next to PyTorch's.
"""
import argparse
import glob
import json
import os
import subprocess
import tempfile

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPERIMENT = os.path.join(ROOT, "Experiments", "onnx-classify.json")
ONNX_PATH = os.path.join(ROOT, "Experiments", "onnx", "digits-cnn.onnx")
EXPECTED_PATH = os.path.join(ROOT, "Experiments", "onnx", "digits-cnn.expected.json")
# The small variant the ExperimentTests integration test runs (a few seconds).
TEST_OVERRIDES = ["data.train=100", "data.val=200", "quantize.calibration.images=64"]
LOGIT_IMAGES = 8


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 48, 3, padding=1, bias=False), nn.BatchNorm2d(48), nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(48, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
        )
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1)
        return self.classifier(torch.flatten(x, 1))


def load_split(path, split):
    """Images as float32 N×1×H×W in [0, 1] (Workbench's loader: x / 255, no mean or std) and labels."""
    with h5py.File(path, "r") as f:
        images = f[f"/{split}/images"][...].astype(np.float32) / 255.0
        labels = f[f"/{split}/labels"][...].astype(np.int64)
    return torch.from_numpy(images.transpose(0, 3, 1, 2).copy()), torch.from_numpy(labels)


def train(model, images, labels, epochs=14, batch=64):
    g = torch.Generator().manual_seed(0)
    opt = torch.optim.AdamW(model.parameters(), lr=0.004, weight_decay=5e-4)
    steps = epochs * ((len(images) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.004, total_steps=steps)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(images), generator=g)
        total = 0.0
        for i in range(0, len(images), batch):
            idx = order[i:i + batch]
            x = images[idx]
            # light augmentation: random shifts of up to 2 pixels
            dx, dy = (int(v) for v in torch.randint(-2, 3, (2,), generator=g))
            x = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
            loss = F.cross_entropy(model(x), labels[idx], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        print(f"epoch {epoch + 1}: loss {total / len(images):.4f}")


def kpis(logits, labels, classes=10):
    pred = logits.argmax(axis=1)  # ties go to the lower index, as in Workbench
    accuracy = float((pred == labels).mean())
    f1 = []
    for c in range(classes):
        tp = float(((pred == c) & (labels == c)).sum())
        fp = float(((pred == c) & (labels != c)).sum())
        fn = float(((pred != c) & (labels == c)).sum())
        p = tp / (tp + fp) if tp + fp > 0 else 0.0
        r = tp / (tp + fn) if tp + fn > 0 else 0.0
        f1.append(2 * p * r / (p + r) if p + r > 0 else 0.0)
    return {"accuracy": accuracy, "macro_f1": float(np.mean(f1))}


def run_experiment(workbench, overrides, reports):
    args = [workbench, "run", EXPERIMENT, "--reports", reports]
    for o in overrides:
        args += ["--set", o]
    subprocess.run(args, check=False, cwd=ROOT)  # a failed gate (exit 3) still leaves the run
    run = os.path.join(reports, "onnx-classify", "latest")
    dataset = glob.glob(os.path.join(run, "stages", "data", "dataset.h5"))[0]
    with open(os.path.join(run, "metrics.json")) as f:
        metrics = json.load(f)
    return dataset, metrics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workbench", default=os.path.join(ROOT, ".build", "debug", "workbench"))
    ap.add_argument("--skip-training", action="store_true", help="keep the committed .onnx; only recompute references")
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    tmp = tempfile.mkdtemp(prefix="onnx-classify-")
    model = None
    if not a.skip_training:
        train_file = os.path.join(tmp, "train.h5")
        subprocess.run([a.workbench, "data", "generate", "digits", "--seed", "101", "--size", "32", "--channels", "1",
                        "--counts", "8000,1000,0", "--out", train_file], check=True)
        x, y = load_split(train_file, "train")
        model = DigitsCNN()
        train(model, x, y)
        model.eval()
        vx, vy = load_split(train_file, "val")
        with torch.no_grad():
            print("held-out accuracy (seed 101 val):", kpis(model(vx).numpy(), vy.numpy())["accuracy"])
        os.makedirs(os.path.dirname(ONNX_PATH), exist_ok=True)
        torch.onnx.export(model, torch.zeros(1, 1, 32, 32), ONNX_PATH, opset_version=13, input_names=["image"],
                          output_names=["logits"], dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}}, dynamo=False)
        print(f"wrote {ONNX_PATH} ({os.path.getsize(ONNX_PATH)} bytes)")

    import onnxruntime as ort
    session = ort.InferenceSession(ONNX_PATH, providers=["CPUExecutionProvider"])
    expected = {"onnx_bytes": os.path.getsize(ONNX_PATH), "test_overrides": TEST_OVERRIDES}
    for key, overrides in [("full", []), ("test", TEST_OVERRIDES)]:
        dataset, metrics = run_experiment(a.workbench, overrides, os.path.join(tmp, f"reports-{key}"))
        vx, vy = load_split(dataset, "val")
        logits = session.run(None, {"image": vx.numpy()})[0]
        if model is not None:  # PyTorch's own outputs are the reference; ONNX Runtime must agree
            with torch.no_grad():
                torch_logits = model(vx).numpy()
            print(f"{key}: max |PyTorch - ONNX Runtime| = {np.abs(torch_logits - logits).max():.2e}")
            logits = torch_logits
        reference = kpis(logits, vy.numpy())
        expected[key] = reference
        if key == "test":
            expected["test_logits"] = [[float(v) for v in row] for row in logits[:LOGIT_IMAGES]]
        print(f"{key}: reference {reference}; workbench float {metrics.get('float')}; "
              f"quantized {metrics.get('quantized', {}).get('accuracy')}")
    with open(EXPECTED_PATH, "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"wrote {EXPECTED_PATH}")


if __name__ == "__main__":
    main()
