# PyTorch reference for TrainingBench: the same tiny YOLO (width 1.0, 64x64, 3 classes),
# batch 32, SGD momentum 0.9 + weight decay, float32 on CPU. Times forward + loss + backward +
# step (no data loading), after warm-up. The loss is a cheap stand-in (sum of squares of the
# heads); the YOLO loss is <1% of Workbench's step time.
import time, torch
import torch.nn as nn
torch.manual_seed(0)
def cbl(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.1))
class TinyYOLO(nn.Module):
    def __init__(s, a=3, c=3):
        super().__init__()
        s.c1, s.c2, s.c3, s.c4, s.c5 = cbl(3, 16, 3), cbl(16, 32, 3), cbl(32, 64, 3), cbl(64, 128, 3), cbl(128, 256, 3)
        s.c6, s.neck, s.c7 = cbl(256, 512, 3), cbl(512, 256, 1), cbl(256, 512, 3)
        s.y32 = nn.Conv2d(512, a * (5 + c), 1)
        s.route = cbl(256, 128, 1)
        s.c8 = cbl(128 + 256, 256, 3)
        s.y16 = nn.Conv2d(256, a * (5 + c), 1)
        s.pool = nn.MaxPool2d(2)
    def forward(s, x):
        x = s.pool(s.c1(x)); x = s.pool(s.c2(x)); x = s.pool(s.c3(x)); x = s.pool(s.c4(x))
        f5 = s.c5(x); x = s.pool(f5)
        n = s.neck(s.c6(x))
        h32 = s.y32(s.c7(n))
        u = nn.functional.interpolate(s.route(n), scale_factor=2, mode="nearest")
        h16 = s.y16(s.c8(torch.cat([u, f5], 1)))
        return h32, h16
m = TinyYOLO()
print("parameters", sum(p.numel() for p in m.parameters()), "threads", torch.get_num_threads())
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
x = torch.randn(32, 3, 64, 64)
def step():
    opt.zero_grad()
    a, b = m(x)
    loss = (a * a).mean() + (b * b).mean()
    loss.backward()
    opt.step()
for _ in range(3): step()
n = 16
t = time.perf_counter()
for _ in range(n): step()
dt = time.perf_counter() - t
print(f"PyTorch {torch.__version__}: {32 * n / dt:.1f} images/s (forward + loss + backward + SGD step)")
