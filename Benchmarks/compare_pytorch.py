"""The foundation benchmark's reference network in PyTorch (2 threads), for the ratio printed by
`make bench`. Prints JSON {"train_ips": ..., "infer_ips": ...}, or a reason and exit code 2."""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
except Exception as e:  # noqa: BLE001
    print(f"import torch failed: {e}")
    sys.exit(2)

torch.set_num_threads(2)
torch.manual_seed(1)


def block(i, o):
    return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.LeakyReLU(0.1), nn.MaxPool2d(2)]


net = nn.Sequential(*block(3, 16), *block(16, 32), *block(32, 64), *block(64, 128), nn.Conv2d(128, 24, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(32, 3, 64, 64)


def step():
    opt.zero_grad()
    loss = net(x).pow(2).mean()
    loss.backward()
    opt.step()


for _ in range(2):
    step()
t = time.perf_counter()
for _ in range(30):
    step()
train = 30 * 32 / (time.perf_counter() - t)

net.eval()
with torch.no_grad():
    net(x)
    t = time.perf_counter()
    for _ in range(40):
        net(x)
    infer = 40 * 32 / (time.perf_counter() - t)
print(json.dumps({"train_ips": train, "infer_ips": infer}))
