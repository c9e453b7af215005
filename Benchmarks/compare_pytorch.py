"""The foundation benchmark's reference network in PyTorch (2 threads), the peer of `make bench`.

WorkbenchBench starts this script once and then alternates with it: it writes requests
`train N` or `infer N` on stdin, one per line, and reads back one JSON line
{"ips": images per second over N steps}. Alternating short rounds on both sides, and comparing
medians, keeps a shared machine's load swings from deciding the ratio.
The first line written is {"ready": true}, or a reason and exit code 2 when torch is missing.
Run by hand without requests (stdin closed) it prints nothing more and exits."""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
except Exception as e:  # noqa: BLE001
    print(json.dumps({"ready": False, "reason": f"import torch failed: {e}"}), flush=True)
    sys.exit(2)

torch.set_num_threads(2)
torch.manual_seed(1)


def block(i, o):
    return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.LeakyReLU(0.1), nn.MaxPool2d(2)]


net = nn.Sequential(*block(3, 16), *block(16, 32), *block(32, 64), *block(64, 128), nn.Conv2d(128, 24, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(32, 3, 64, 64)


def train_step():
    opt.zero_grad()
    loss = net(x).pow(2).mean()
    loss.backward()
    opt.step()


def infer_step():
    with torch.no_grad():
        net(x)


def measure(kind, steps):
    if kind == "train":
        net.train()
        step = train_step
    else:
        net.eval()
        step = infer_step
    step()  # warm-up, as the Workbench side does
    t = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * x.shape[0] / (time.perf_counter() - t)


print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
for line in sys.stdin:
    parts = line.split()
    if len(parts) != 2 or parts[0] not in ("train", "infer"):
        print(json.dumps({"error": f"bad request {line.strip()!r}"}), flush=True)
        continue
    print(json.dumps({"ips": measure(parts[0], int(parts[1]))}), flush=True)
