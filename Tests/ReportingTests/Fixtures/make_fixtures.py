"""Writes the handmade run folders used by ReportingTests (deterministic; re-run to refresh).

The numbers are invented but consistent (e.g. F1 from P and R); the JSON shapes follow
Sources/Reporting/Reporting.docc/Reporting.md and Metrics' report formats.
"""
import json, os, math, zlib, struct
root = os.path.dirname(os.path.abspath(__file__))
def w(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        if isinstance(obj, str): f.write(obj)
        else: json.dump(obj, f, indent=2, sort_keys=True); f.write('\n')
def png(path, w_, h_):
    raw = b''
    for y in range(h_):
        raw += b'\x00'
        for x in range(w_):
            inside = (x // 8 + y // 8) % 2
            raw += bytes([0, 114, 178]) if inside else bytes([230, 159, 0])
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w_, h_, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'wb').write(data)
r = lambda v: round(v, 4)

# --- run: a finished detection run -----------------------------------------------------------
d = root + '/run'
classes = ['circle', 'square', 'triangle']
w(d + '/experiment.json', {"name": "shapes-yolo", "seed": 42, "data": {"generator": "shapes", "images": 1000, "size": [64, 64]},
    "model": {"zoo": "tiny-yolo", "width": 0.25}, "train": {"epochs": 3, "batch": 32, "optimizer": "sgd", "lr": 0.01},
    "evaluate": {"ap": "coco101"}})
w(d + '/overrides.json', ["train.epochs=3"])
w(d + '/manifest.json', {"workbench_version": "0.1.0", "run_id": "20261121-101500-a1b2", "created": "2026-11-21T10:15:00Z",
    "status": "succeeded", "failed_stage": None, "error": None, "host": "ci-runner", "seed": 42, "blas": "SkylakeX",
    "stages": [
      {"name": "data", "key": "9f2c4e1a7b3d5f60", "cache_hit": True, "wall_seconds": 1.2, "inputs": {}, "outputs": {"dataset.h5": "c0ffee112233445566"}},
      {"name": "train", "key": "1a2b3c4d5e6f7081", "cache_hit": False, "wall_seconds": 74.5, "inputs": {"dataset": "c0ffee112233445566"}, "outputs": {"weights.h5": "deadbeef00112233"}},
      {"name": "evaluate", "key": "aa00bb11cc22dd33", "cache_hit": False, "wall_seconds": 3.25, "inputs": {"weights": "deadbeef00112233"}, "outputs": {"detection.json": "0123456789abcdef"}}],
    "gates": [{"metric": "map50", "condition": ">= 0.6", "value": 0.71, "passed": True},
              {"metric": "recall", "condition": ">= 0.8", "value": 0.74, "passed": False}]})
w(d + '/metrics.json', {"float": {"map50": 0.71, "map50_95": 0.4, "precision": 0.78, "recall": 0.74, "f1": 0.7595},
    "definitions": {"map50": "AP@0.5, coco101 (101-point interpolated, as pycocotools COCOeval)",
                    "map50_95": "mean AP over IoU 0.5:0.05:0.95, coco101",
                    "precision": "macro precision at the best-F1 confidence", "recall": "macro recall at the best-F1 confidence",
                    "f1": "best macro F1 over confidence"}})
w(d + '/stages/data/summary.json', {"kind": "detection", "image_size": [64, 64, 3], "class_names": classes,
    "splits": {"train": {"images": 800, "boxes": 2100, "class_histogram": [720, 700, 680]},
               "val": {"images": 200, "boxes": 530, "class_histogram": [180, 170, 180]}}, "content_hash": "c0ffee112233445566778899"})
png(d + '/stages/data/samples.png', 48, 32)
w(d + '/stages/model/cost.json', {"layers": [
    {"name": "conv1", "op": "Conv", "output_shape": [1, 16, 64, 64], "parameters": 448, "macs": 1769472, "activation_bytes": 262144},
    {"name": "pool1", "op": "MaxPool", "output_shape": [1, 16, 32, 32], "parameters": 0, "macs": 0, "activation_bytes": 65536},
    {"name": "conv2", "op": "Conv", "output_shape": [1, 32, 32, 32], "parameters": 4640, "macs": 4718592, "activation_bytes": 131072},
    {"name": "head", "op": "Conv", "output_shape": [1, 24, 32, 32], "parameters": 792, "macs": 786432, "activation_bytes": 98304}],
    "totals": {"parameters": 5880, "macs": 7274496, "peak_activation_bytes": 327680}})
w(d + '/stages/model/graph.mmd', 'flowchart TD\n  n_image[/"image<br/>3×64×64"/]\n  n_conv1["conv1<br/>Conv 3×3<br/>16×64×64"]\n  n_pool1["pool1<br/>MaxPool 2×2<br/>16×32×32"]\n  n_conv2["conv2<br/>Conv 3×3<br/>32×32×32"]\n  n_head["head<br/>Conv 1×1<br/>24×32×32"]\n  n_image --> n_conv1\n  n_conv1 --> n_pool1\n  n_pool1 --> n_conv2\n  n_conv2 --> n_head\n')
w(d + '/stages/train/history.json', {"epochs": [
    {"epoch": 1, "lr": 0.01, "images_per_second": 300, "train": {"loss": 1.2, "box": 0.5, "obj": 0.4, "cls": 0.3}, "val": {"map50": 0.3}},
    {"epoch": 2, "lr": 0.005, "images_per_second": 310, "train": {"loss": 0.8, "box": 0.35, "obj": 0.25, "cls": 0.2}, "val": {"map50": 0.55}},
    {"epoch": 3, "lr": 0.001, "images_per_second": 305, "train": {"loss": 0.6, "box": 0.28, "obj": 0.18, "cls": 0.14}, "val": {"map50": 0.71}}]})
ious = [r(0.5 + 0.05 * i) for i in range(10)]
cats = []
aps50 = [0.82, 0.7, 0.61]
for i, (name, ap) in enumerate(zip(classes, aps50)):
    par = [r(1.0 if x <= 50 else max(0.0, 1.0 - (x - 50) / 100 * (2.2 - ap * 2))) for x in range(101)]
    par = [p if k / 100 <= ap + 0.15 else 0.0 for k, p in enumerate(par)]
    aps = [r(ap * (1 - 0.09 * t)) for t in range(10)]
    cats.append({"id": i + 1, "name": name, "positives": 180 - 5 * i, "detections": 200 + 7 * i, "ap": aps, "ap50": ap,
                 "apMean": r(sum(aps) / 10), "precisionAtRecall": par})
conf = [r(k / 20) for k in range(21)]
prec = [r(0.4 + 0.55 * c) for c in conf]
rec = [r(0.95 - 0.9 * c * c) for c in conf]
f1 = [r(2 * p * q / (p + q)) for p, q in zip(prec, rec)]
best = max(range(21), key=lambda k: f1[k])
w(d + '/stages/evaluate/detection.json', {"format": "workbench.detection-report", "version": 1, "definition": "coco101",
    "iouThresholds": ious, "maxDetections": 100,
    "counts": {"images": 200, "categories": 3, "groundTruth": 530, "positives": 525, "detections": 621},
    "map": 0.4, "map50": 0.71, "map75": 0.52, "mapPerThreshold": [r(0.71 * (1 - 0.09 * t)) for t in range(10)],
    "categories": cats,
    "confidenceCurves": {"iouThreshold": 0.5, "confidence": conf, "precision": prec, "recall": rec, "f1": f1,
        "perCategory": [{"id": c["id"], "precision": prec, "recall": rec, "f1": f1} for c in cats]},
    "operatingPoint": {"confidence": conf[best], "precision": prec[best], "recall": rec[best], "f1": f1[best]},
    "confusionMatrix": {"labels": classes + ["background"], "iouThreshold": 0.5, "confidence": conf[best],
        "counts": [[150, 4, 3, 23], [6, 130, 9, 30], [2, 11, 120, 37], [14, 17, 21, 0]]}})

# --- run-failed: training failed after the data stage ------------------------------------------
d = root + '/run-failed'
w(d + '/experiment.json', {"name": "shapes-yolo", "seed": 7, "data": {"generator": "shapes", "images": 1000, "size": [64, 64]},
    "model": {"zoo": "tiny-yolo", "width": 0.5}, "train": {"epochs": 10, "batch": 32, "optimizer": "adam", "lr": 0.1},
    "evaluate": {"ap": "coco101"}})
w(d + '/manifest.json', {"workbench_version": "0.1.0", "run_id": "20261121-120000-ffee", "created": "2026-11-21T12:00:00Z",
    "status": "failed", "failed_stage": "train", "error": "Training diverged at epoch 2: the loss became NaN; lower train.lr.",
    "host": "ci-runner", "seed": 7, "blas": "SkylakeX",
    "stages": [{"name": "data", "key": "9f2c4e1a7b3d5f60", "cache_hit": True, "wall_seconds": 0.4, "inputs": {}, "outputs": {"dataset.h5": "c0ffee112233445566"}},
               {"name": "train", "key": "77aa88bb99cc00dd", "cache_hit": False, "wall_seconds": 12.0, "inputs": {"dataset": "c0ffee112233445566"}, "outputs": {}}],
    "gates": []})
w(d + '/stages/data/summary.json', {"kind": "detection", "image_size": [64, 64, 3], "class_names": classes,
    "splits": {"train": {"images": 800, "boxes": 2100, "class_histogram": [720, 700, 680]}}, "content_hash": "c0ffee112233445566778899"})
w(d + '/stages/train/history.json', {"epochs": [
    {"epoch": 1, "lr": 0.1, "images_per_second": 290, "train": {"loss": 3.5, "box": 1.5, "obj": 1.2, "cls": 0.8}, "val": {"map50": 0.05}}]})

# --- run-verification: a face verification run ---------------------------------------------------
d = root + '/run-verification'
w(d + '/experiment.json', {"name": "faces-squeezenet", "seed": 3, "data": {"generator": "faces", "identities": 50},
    "model": {"zoo": "squeezenet-face", "embedding": 64}, "evaluate": {"metric": "cosine", "folds": 10}})
w(d + '/manifest.json', {"workbench_version": "0.1.0", "run_id": "20261121-130000-0f0f", "created": "2026-11-21T13:00:00Z",
    "status": "succeeded", "failed_stage": None, "error": None, "host": "ci-runner", "seed": 3, "blas": "SkylakeX",
    "stages": [{"name": "data", "key": "1111", "cache_hit": False, "wall_seconds": 2.0, "inputs": {}, "outputs": {}},
               {"name": "evaluate", "key": "2222", "cache_hit": False, "wall_seconds": 1.5, "inputs": {}, "outputs": {}}],
    "gates": [{"metric": "accuracy", "condition": ">= 0.9", "value": 0.93, "passed": True}]})
w(d + '/metrics.json', {"float": {"accuracy": 0.93, "auc": 0.975, "eer": 0.071}, "quantized": {"accuracy": 0.915, "auc": 0.968, "eer": 0.082},
    "definitions": {"accuracy": "LFW View 2 10-fold accuracy", "auc": "area under the pooled ROC", "eer": "equal error rate"}})
far = [0, 0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0]
tar = [0, 0.3, 0.6, 0.75, 0.88, 0.94, 0.97, 0.99, 1.0, 1.0]
folds = [0.92, 0.95, 0.91, 0.94, 0.93, 0.92, 0.96, 0.9, 0.94, 0.93]
w(d + '/stages/evaluate/verification.json', {"format": "workbench.verification-report", "version": 1, "metric": "cosine",
    "pairs": 600, "folds": 10, "accuracy": 0.93, "standardDeviation": 0.0173, "standardError": 0.0058,
    "foldAccuracies": folds, "foldThresholds": [0.41, 0.4, 0.42, 0.41, 0.4, 0.43, 0.41, 0.4, 0.42, 0.41],
    "roc": {"thresholds": [None, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.9], "falseAcceptRate": far, "trueAcceptRate": tar,
            "auc": 0.975, "equalErrorRate": 0.071, "equalErrorThreshold": 0.37},
    "tarAtFar": [{"far": 0.001, "tar": 0.3, "threshold": 0.1}, {"far": 0.01, "tar": 0.6, "threshold": 0.2}]})
same = [r(0.1 + 0.3 * ((k * 37) % 100) / 100) for k in range(60)]
diff = [r(0.35 + 0.5 * ((k * 53) % 100) / 100) for k in range(60)]
w(d + '/stages/evaluate/verification_distances.json', {"metric": "cosine", "same": same, "different": diff})
print("ok")
