"""Makes the ONNX import fixtures: small PyTorch models exported by torch.onnx (the TorchScript
exporter, dynamo=False, as most deployed PyTorch code still calls it) at a few opsets, with a
seeded input and PyTorch's outputs for it.

    python3 Tests/ONNXTests/Fixtures/make_fixtures.py   # from the package root

Writes, per model, <model>-opset<k>.onnx, <model>.input.npy (float32, N×C×H×W) and
<model>.output.npy (float32, PyTorch's output in eval mode). Each .onnx stays under 200 KB.
The batch axis is dynamic ("N") except in <model>-static-opset<k>.onnx, exported with the
input's fixed batch of 2 (so the exporter bakes that batch into Reshape targets).
"""
import os
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize_batchnorm(model, generator):
    """Non-trivial running statistics, so that folding or dropping BatchNorm would show."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5, generator=generator)
                m.running_var.uniform_(0.5, 2.0, generator=generator)
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.2, 0.2, generator=generator)


class Fire(nn.Module):
    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.expand1 = nn.Conv2d(squeeze, expand, 1)
        self.expand3 = nn.Conv2d(squeeze, expand, 3, padding=1)

    def forward(self, x):
        s = F.relu(self.squeeze(x))
        return torch.cat([F.relu(self.expand1(s)), F.relu(self.expand3(s))], 1)


class FaceDescriptor(nn.Module):
    """SqueezeNet-1.1-style face descriptor: ceil-mode max pools, Fire modules, global pooling,
    a BatchNorm after a concat (not folded by the exporter), a view() flatten
    (Shape/Gather/Unsqueeze/Concat/Reshape), a linear embedding, F.normalize."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.fire1 = Fire(16, 8, 16)
        self.fire2 = Fire(32, 8, 16)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.fire3 = Fire(32, 16, 32)
        self.bn = nn.BatchNorm2d(64)
        self.head = nn.Conv2d(64, 48, 1)
        self.drop = nn.Dropout(0.3)
        self.embed = nn.Linear(48, 32)

    def forward(self, x):
        x = self.pool1(self.stem(x))
        x = self.pool2(self.fire2(self.fire1(x)))
        x = F.relu(self.head(self.bn(self.fire3(x))))
        x = F.adaptive_avg_pool2d(x, 1)
        x = x.view(x.size(0), -1)
        return F.normalize(self.embed(self.drop(x)), dim=1)


def conv_bn(cin, cout, stride, groups=1):
    return [nn.Conv2d(cin, cout, 3, stride, 1, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU6(inplace=True)]


class MobileNetTiny(nn.Module):
    """MobileNet-v1-style classifier: depthwise separable blocks with ReLU6 (Clip), a ZeroPad2d
    before a stride-2 conv (Pad folded into the conv), average pooling, torch.flatten, Linear."""

    def __init__(self, classes=10):
        super().__init__()
        layers = conv_bn(3, 16, 1)
        layers += [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(16, 16, 3, 2, 0, groups=16, bias=False)]
        layers += [nn.BatchNorm2d(16), nn.ReLU6(), nn.Conv2d(16, 32, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU6()]
        layers += conv_bn(32, 32, 2, groups=32) + [nn.Conv2d(32, 64, 1), nn.ReLU6()]
        layers += [nn.AvgPool2d(3, 1, padding=1), nn.Sigmoid()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, classes))

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1)
        return self.classifier(torch.flatten(x, 1))


class TinyYOLO(nn.Module):
    """Tiny-YOLO-style detector: conv-BN-LeakyReLU(0.1), max pools, a nearest 2× upsample and a
    concat route, two 1×1 heads."""

    def __init__(self, outputs=21):
        super().__init__()

        def block(cin, cout, k=3):
            return nn.Sequential(
                nn.Conv2d(cin, cout, k, 1, k // 2, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.1))

        self.b1, self.b2, self.b3 = block(3, 8), block(8, 16), block(16, 32)
        self.b4 = block(32, 64)
        self.head1 = nn.Conv2d(64, outputs, 1)
        self.reduce = block(64, 16, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.b5 = block(48, 32)
        self.head2 = nn.Conv2d(32, outputs, 1)

    def forward(self, x):
        x = F.max_pool2d(self.b1(x), 2)
        x = F.max_pool2d(self.b2(x), 2)
        route = self.b3(x)
        x = self.b4(F.max_pool2d(route, 2))
        y1 = self.head1(x)
        u = self.up(self.reduce(x))
        y2 = self.head2(self.b5(torch.cat([u, route], 1)))
        return y1, torch.tanh(y2)


class WithGelu(nn.Module):
    """A model with an op Workbench does not have (Gelu), for the unsupported-op error."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.act = nn.GELU()

    def forward(self, x):
        return self.act(self.conv(x))


MODELS = [
    ("face-descriptor", FaceDescriptor, (2, 3, 48, 48), ["descriptor"], [11, 13, "static-13"]),
    ("mobilenet-tiny", MobileNetTiny, (2, 3, 32, 32), ["logits"], [11, 13, 17]),
    ("tiny-yolo", TinyYOLO, (2, 3, 64, 64), ["head1", "head2"], [11, 13]),
    ("gelu", WithGelu, (1, 3, 8, 8), ["y"], [20]),
]


def main():
    warnings.filterwarnings("ignore")
    for index, (name, cls, shape, outputs, opsets) in enumerate(MODELS):
        generator = torch.Generator().manual_seed(100 + index)
        torch.manual_seed(100 + index)
        model = cls()
        randomize_batchnorm(model, generator)
        model.eval()
        x = torch.rand(shape, generator=generator)
        with torch.no_grad():
            y = model(x)
        ys = y if isinstance(y, tuple) else (y,)
        np.save(os.path.join(HERE, f"{name}.input.npy"), x.numpy().astype(np.float32))
        for out_name, value in zip(outputs, ys):
            suffix = "" if len(ys) == 1 else f".{out_name}"
            np.save(os.path.join(HERE, f"{name}.output{suffix}.npy"), value.numpy().astype(np.float32))
        for opset in opsets:
            static = isinstance(opset, str)
            version = int(opset.split("-")[1]) if static else opset
            path = os.path.join(HERE, f"{name}-static-opset{version}.onnx" if static else f"{name}-opset{opset}.onnx")
            dynamic = None if static else {"input": {0: "N"}, **{o: {0: "N"} for o in outputs}}
            torch.onnx.export(
                model, (x,), path, input_names=["input"], output_names=outputs, opset_version=version,
                dynamic_axes=dynamic, dynamo=False)
            size = os.path.getsize(path)
            assert size < 200_000, f"{path} is {size} bytes"
            print(f"{path}: {size} bytes")


if __name__ == "__main__":
    main()
