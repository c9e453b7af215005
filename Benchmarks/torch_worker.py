"""PyTorch's side of the benchmark workers (WorkbenchBench and TrainingBench start it).

Takes the same flags as Workbench's worker (BenchProtocol's WorkerJob):
  --model reference|GRAPH.json --batch N --kinds train,infer --warmup W --min-steps S
  --min-seconds T --threads K
builds the model ("reference": the foundation issue's reference network; otherwise a Workbench
graph file, through torch_graph.py) and a random batch, then for each kind runs W untimed steps
and times steps until both S steps and T seconds are reached. It writes one JSON object per line
on stdout: {"event": "ready", "parameters", "version"}, then per kind {"event": "start", "kind"}
and {"event": "result", "kind", "images", "seconds", "steps"}; or {"event": "error", "reason"}
and exit status 2 when torch is missing or the job is malformed. The driver measures the
machine's load between "start" and "result" and reads this process's memory at "ready" and at
each result, so nothing else may run in between.
"""
import argparse
import json
import os
import sys
import time


def emit(**message):
    print(json.dumps(message), flush=True)


try:
    import torch
    import torch.nn as nn
except Exception as e:  # noqa: BLE001
    emit(event="error", reason=f"import torch failed: {e}")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_graph  # noqa: E402


def reference_network():
    """Four [conv 3x3 -> BatchNorm -> LeakyReLU 0.1 -> max-pool 2] blocks, then a 1x1 conv to 24."""
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.LeakyReLU(0.1), nn.MaxPool2d(2)]
    net = nn.Sequential(*block(3, 16), *block(16, 32), *block(32, 64), *block(64, 128), nn.Conv2d(128, 24, 1))
    return net, [3, 64, 64]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--kinds", required=True)
    p.add_argument("--warmup", type=int, required=True)
    p.add_argument("--min-steps", type=int, required=True)
    p.add_argument("--min-seconds", type=float, required=True)
    p.add_argument("--threads", type=int, required=True)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    if args.model == "reference":
        net, shape = reference_network()
        # the reference network's SGD: momentum 0.9, no weight decay (as ReferenceNetwork.swift)
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        def loss_of(y):
            return y.pow(2).mean()
    else:
        net, shape = torch_graph.load(args.model)
        # GraphStep.swift's SGD: weight decay on weights (rank > 1) only, as Workbench's groups
        decay = [q for q in net.parameters() if q.dim() > 1]
        rest = [q for q in net.parameters() if q.dim() <= 1]
        opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": rest, "weight_decay": 0.0}],
                              lr=0.01, momentum=0.9)
        def loss_of(ys):
            total = ys[0].pow(2).mean()
            for y in ys[1:]:
                total = total + y.pow(2).mean()
            return total
    x = torch.randn(args.batch, *shape)

    def train_step():
        opt.zero_grad()
        loss_of(net(x)).backward()
        opt.step()

    def infer_step():
        with torch.no_grad():
            net(x)

    emit(event="ready", parameters=sum(q.numel() for q in net.parameters()), version=torch.__version__)
    for kind in args.kinds.split(","):
        if kind == "train":
            net.train()
            step = train_step
        else:
            net.eval()
            step = infer_step
        for _ in range(args.warmup):
            step()
        emit(event="start", kind=kind)
        t0 = time.perf_counter()
        steps, seconds = 0, 0.0
        while steps < args.min_steps or seconds < args.min_seconds:
            step()
            steps += 1
            seconds = time.perf_counter() - t0
        emit(event="result", kind=kind, images=steps * args.batch, seconds=seconds, steps=steps)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        emit(event="error", reason=f"{type(e).__name__}: {e}")
        sys.exit(2)
