"""A Workbench model graph (the IR's JSON, as BenchGraphs.write saves it) as a PyTorch module.

The benchmarks hand the same graph file to both sides, so PyTorch times exactly the architecture
Workbench times (any zoo model, width and resolution) without a hand-written copy that could
drift. Ops are interpreted in the graph's node order; every value's shape is checked against the
graph's on one image when the module is loaded, and the driver checks that the parameter count
equals Workbench's.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def attr(node, name):
    a = node["attributes"].get(name)
    if a is None:
        raise ValueError(f"node {node['name']} ({node['op']}) has no attribute {name!r}; write the graph with BenchGraphs.write")
    return a["value"]


class GraphModule(nn.Module):
    """Runs the nodes of `graph` (a dict of the graph JSON) in order."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph
        self.inputs = [v["name"] for v in graph["inputs"]]
        self.outputs = [o["name"] for o in graph["outputs"]]
        self.layers = nn.ModuleDict()
        shapes = {v["name"]: v["shape"] for v in graph["values"]}
        params = graph["parameters"]
        for node in graph["nodes"]:
            key = node["name"].replace(".", "_")
            op = node["op"]
            if op == "Conv":
                cin = shapes[node["inputs"][0]][1]
                k, s, d = attr(node, "kernel"), attr(node, "stride"), attr(node, "dilation")
                top, left, bottom, right = attr(node, "padding")
                conv = nn.Conv2d(cin, attr(node, "outChannels"), tuple(k), stride=tuple(s), dilation=tuple(d),
                                 groups=attr(node, "groups"), bias=f"{node['name']}.bias" in params,
                                 padding=(top, left) if (top, left) == (bottom, right) else 0)
                if (top, left) != (bottom, right):
                    conv = nn.Sequential(nn.ZeroPad2d((left, right, top, bottom)), conv)
                self.layers[key] = conv
            elif op == "BatchNorm":
                c = shapes[node["inputs"][0]][1]
                self.layers[key] = nn.BatchNorm2d(c, eps=attr(node, "epsilon"), momentum=attr(node, "momentum"))
            elif op == "Dense":
                w = params[f"{node['name']}.weight"]["shape"]
                self.layers[key] = nn.Linear(w[1], w[0], bias=f"{node['name']}.bias" in params)
            elif op in ("MaxPool", "AvgPool"):
                k, s = attr(node, "kernel"), attr(node, "stride")
                top, left, bottom, right = attr(node, "padding")
                if (top, left) != (bottom, right):
                    raise ValueError(f"node {node['name']}: asymmetric pooling padding is not supported here")
                if op == "MaxPool":
                    self.layers[key] = nn.MaxPool2d(tuple(k), tuple(s), (top, left), ceil_mode=attr(node, "ceilMode"))
                else:
                    self.layers[key] = nn.AvgPool2d(tuple(k), tuple(s), (top, left), ceil_mode=attr(node, "ceilMode"),
                                                    count_include_pad=attr(node, "countIncludePad"))
            elif op == "Dropout":
                self.layers[key] = nn.Dropout(attr(node, "rate"))

    def forward(self, x):
        env = {self.inputs[0]: x}
        for node in self.graph["nodes"]:
            op, xs = node["op"], [env[i] for i in node["inputs"]]
            key = node["name"].replace(".", "_")
            if key in self.layers:
                y = self.layers[key](xs[0])
            elif op == "ReLU":
                y = F.relu(xs[0])
            elif op == "ReLU6":
                y = F.relu6(xs[0])
            elif op == "LeakyReLU":
                y = F.leaky_relu(xs[0], attr(node, "alpha"))
            elif op == "Sigmoid":
                y = torch.sigmoid(xs[0])
            elif op == "Tanh":
                y = torch.tanh(xs[0])
            elif op == "GlobalAvgPool":
                y = xs[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                y = torch.flatten(xs[0], 1)
            elif op == "Upsample":
                y = F.interpolate(xs[0], scale_factor=attr(node, "factor"), mode="nearest")
            elif op == "Concat":
                y = torch.cat(xs, attr(node, "axis"))
            elif op == "Add":
                y = xs[0] + xs[1]
            elif op == "Identity":
                y = xs[0]
            elif op == "L2Normalize":
                y = F.normalize(xs[0], dim=1)
            else:
                raise ValueError(f"node {node['name']}: op {op} is not supported by torch_graph.py")
            env[node["outputs"][0]] = y
        self.last_shapes = {k: list(v.shape[1:]) for k, v in env.items()}
        return [env[name] for name in self.outputs]

    def check_shapes(self):
        """Runs one image through and raises ValueError unless every value has the graph's shape."""
        expected = {v["name"]: v["shape"][1:] for v in self.graph["values"]}
        self.eval()
        with torch.no_grad():
            self(torch.zeros(1, *expected[self.inputs[0]]))
        for name, shape in expected.items():
            if self.last_shapes.get(name) != shape:
                raise ValueError(f"value {name} has shape {self.last_shapes.get(name)} in PyTorch, {shape} in the graph")


def load(path):
    """The module and input shape (without batch) of the graph file `path`."""
    with open(path) as f:
        graph = json.load(f)
    module = GraphModule(graph)
    module.check_shapes()
    return module, graph["inputs"][0]["shape"][1:]
