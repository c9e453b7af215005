import Foundation
import XCTest

@testable import Training

/// The first SGD steps of `TinyConvNet` (conv–BN–ReLU–pool–dense, cross-entropy with label
/// smoothing, momentum and weight decay only on weights), fed the same initial weights and
/// batches (exchanged as JSON), against (a) the identical PyTorch network — skipped, with a
/// message, when `python3 -c "import torch"` fails — and (b) a float64 NumPy implementation
/// with central-difference gradients, an autograd-free reference of the whole step.
final class ReferenceParityTests: XCTestCase {
  static let script = #"""
    import json, sys
    import torch
    torch.use_deterministic_algorithms(True)
    spec = json.load(open(sys.argv[1]))
    W = {k: torch.tensor(v["data"], dtype=torch.float32).reshape(v["shape"]) for k, v in spec["weights"].items()}
    conv = torch.nn.Conv2d(1, 4, 3, padding=1)
    bn = torch.nn.BatchNorm2d(4, momentum=0.1, eps=1e-5)
    fc = torch.nn.Linear(4, 3)
    with torch.no_grad():
        conv.weight.copy_(W["conv.weight"]); conv.bias.copy_(W["conv.bias"])
        bn.weight.copy_(W["bn.gamma"]); bn.bias.copy_(W["bn.beta"])
        fc.weight.copy_(W["fc.weight"]); fc.bias.copy_(W["fc.bias"])
    decay = [conv.weight, fc.weight]
    rest = [conv.bias, bn.weight, bn.bias, fc.bias]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": spec["weightDecay"]}, {"params": rest, "weight_decay": 0.0}],
                          lr=spec["lr"], momentum=spec["momentum"])
    losses = []
    for b in spec["batches"]:
        x = torch.tensor(b["images"], dtype=torch.float32).reshape(b["shape"])
        y = torch.tensor(b["labels"], dtype=torch.long)
        opt.zero_grad()
        h = torch.relu(bn(conv(x))).mean(dim=(2, 3))
        loss = torch.nn.functional.cross_entropy(fc(h), y, label_smoothing=spec["labelSmoothing"])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    print(json.dumps(losses))
    """#

  /// The same network, loss and optimizer in float64 NumPy with central-difference gradients:
  /// an independent reference that needs no autograd (and no PyTorch).
  static let numpyScript = #"""
    import json, sys
    import numpy as np
    spec = json.load(open(sys.argv[1]))
    P = {k: np.array(v["data"], dtype=np.float64).reshape(v["shape"]) for k, v in spec["weights"].items()}
    def forward(P, x, y, eps_s):
        n, _, h, w = x.shape
        xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        out = np.zeros((n, 4, h, w))
        for o in range(4):
            for i in range(3):
                for j in range(3):
                    out[:, o] += P["conv.weight"][o, 0, i, j] * xp[:, 0, i:i + h, j:j + w]
            out[:, o] += P["conv.bias"][o]
        mean = out.mean(axis=(0, 2, 3), keepdims=True)
        var = out.var(axis=(0, 2, 3), keepdims=True)
        z = (out - mean) / np.sqrt(var + 1e-5) * P["bn.gamma"].reshape(1, 4, 1, 1) + P["bn.beta"].reshape(1, 4, 1, 1)
        feat = np.maximum(z, 0).mean(axis=(2, 3))
        logits = feat @ P["fc.weight"].T + P["fc.bias"]
        m = logits.max(axis=1, keepdims=True)
        logp = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
        c = logits.shape[1]
        nll = -logp[np.arange(n), y]
        smooth = -logp.mean(axis=1)
        return float(((1 - eps_s) * nll + eps_s * smooth).mean())
    buf = {}
    losses = []
    for b in spec["batches"]:
        x = np.array(b["images"], dtype=np.float64).reshape(b["shape"])
        y = np.array(b["labels"])
        losses.append(forward(P, x, y, spec["labelSmoothing"]))
        grads = {}
        for k in sorted(P):
            g = np.zeros_like(P[k])
            for idx in np.ndindex(P[k].shape):
                old = P[k][idx]
                P[k][idx] = old + 1e-6; up = forward(P, x, y, spec["labelSmoothing"])
                P[k][idx] = old - 1e-6; down = forward(P, x, y, spec["labelSmoothing"])
                P[k][idx] = old
                g[idx] = (up - down) / 2e-6
            grads[k] = g
        for k in sorted(P):
            g = grads[k] + (spec["weightDecay"] * P[k] if P[k].ndim > 1 else 0)
            buf[k] = g if k not in buf else spec["momentum"] * buf[k] + g
            P[k] = P[k] - spec["lr"] * buf[k]
    print(json.dumps({"losses": losses, "weights": {k: v.ravel().tolist() for k, v in P.items()}}))
    """#

  static func python(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    do { try process.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  struct Reference: Decodable { let losses: [Double]; let weights: [String: [Double]] }

  /// Writes the spec (initial weights, batches, settings), trains 3 SGD steps in Workbench and
  /// returns the spec path, the losses and the final model.
  func runWorkbench(_ dir: URL) throws -> (spec: URL, losses: [Float], model: TinyConvNet) {
    let model = TinyConvNet(seed: 3, noiseScale: 0)
    let data = SyntheticImages(count: 24, seed: 1)
    let stream = RandomStream(seed: 9).split("data").split(index: 0)
    let batches = try (0..<data.batchCount(epoch: 0)).map { try data.batch($0, epoch: 0, stream: stream) }
    let (lr, momentum, weightDecay, smoothing) = (0.1, Float(0.9), Float(1e-3), Float(0.1))
    func tensorJSON(_ t: Tensor<Float>) -> [String: Any] { ["shape": t.shape, "data": t.scalars.map(Double.init)] }
    let spec: [String: Any] = [
      "weights": Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, tensorJSON($0.variable.value)) }),
      "batches": batches.map {
        ["images": $0.input.value.scalars.map(Double.init), "shape": $0.input.shape, "labels": $0.labels]
      },
      "lr": lr, "momentum": Double(momentum), "weightDecay": Double(weightDecay), "labelSmoothing": Double(smoothing),
    ]
    let specURL = dir.appendingPathComponent("spec.json")
    try JSONSerialization.data(withJSONObject: spec).write(to: specURL)
    var losses: [Float] = []
    let config = TrainingConfiguration(
      epochs: 1, random: RandomStream(seed: 9), learningRate: lr,
      optimizer: .sgd(SGD(momentum: momentum, weightDecay: weightDecay)))
    try Trainer(
      model: model, configuration: config, trainingData: data,
      objective: { logits, batch in
        let l = CrossEntropyLoss(labelSmoothing: smoothing)(logits, labels: batch.labels)
        losses.append(l.value.scalar)
        return LossTerms("ce", l)
      }
    ).fit()
    return (specURL, losses, model)
  }

  func runScript(_ script: String, dir: URL, spec: URL) throws -> String {
    let url = dir.appendingPathComponent("reference.py")
    try script.write(to: url, atomically: true, encoding: .utf8)
    let result = Self.python([url.path, spec.path])
    XCTAssertEqual(result.status, 0, result.output)
    return result.output
  }

  func testFirstSGDStepsMatchPyTorch() throws {
    guard Self.python(["-c", "import torch"]).status == 0 else {
      throw XCTSkip(
        "PyTorch is not importable (python3 -c \"import torch\" failed); install torch to run the parity test")
    }
    let dir = try temporaryDirectory(self)
    let run = try runWorkbench(dir)
    let torchLosses = try JSONDecoder().decode(
      [Double].self, from: Data(try runScript(Self.script, dir: dir, spec: run.spec).utf8))
    XCTAssertEqual(torchLosses.count, run.losses.count)
    for (i, (s, t)) in zip(run.losses, torchLosses).enumerated() {
      XCTAssertEqual(Double(s), t, accuracy: 1e-4, "step \(i): Workbench \(s), PyTorch \(t)")
    }
  }

  func testFirstSGDStepsMatchNumPyReference() throws {
    guard Self.python(["-c", "import numpy"]).status == 0 else {
      throw XCTSkip("NumPy is not importable; install numpy to run the reference test")
    }
    let dir = try temporaryDirectory(self)
    let run = try runWorkbench(dir)
    let ref = try JSONDecoder().decode(
      Reference.self, from: Data(try runScript(Self.numpyScript, dir: dir, spec: run.spec).utf8))
    XCTAssertEqual(ref.losses.count, 3)
    for (i, (s, t)) in zip(run.losses, ref.losses).enumerated() {
      XCTAssertEqual(Double(s), t, accuracy: 1e-4, "step \(i): Workbench \(s), NumPy \(t)")
    }
    for (name, v) in run.model.parameters {
      let expected = ref.weights[name] ?? []
      XCTAssertEqual(expected.count, v.value.count, name)
      for (a, b) in zip(v.value.scalars, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-4, name) }
    }
  }
}
