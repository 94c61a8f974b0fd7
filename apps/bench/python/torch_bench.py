"""Native PyTorch rows of `pnpm bench` and `pnpm bench:gpu` (spawned by src/rows/pytorch.ts).

    python3 torch_bench.py --device cpu|cuda --threads N

Line protocol, one JSON object a line. The script first prints {"ready": true, "torch": ...,
"device": ...} (or {"skip": why}), then answers each request read from stdin with one line:
{"id", "medianMs", "runs", "samplesMs"}, {"id", "skip"} or {"id", "error"}. A request names a
workload and carries its shapes, so the network is the same as the other rows':

    {"id": "gemm", "kind": "gemm", "n": 1024, "timing": {...}}
    {"id": "conv", "kind": "conv", "input": [N, C, H, W], "weight": [O, C, K, K], "pad": 1, ...}
    {"id": "resnet18", "kind": "inference", "net": <Network of src/models/spec.ts>, ...}
    {"id": "train", "kind": "train-cifar", "cifar": <CIFAR of src/models/cifar.ts>, ...}

"timing" is harness.ts's TimingOptions; steps are timed here, with the same rules, so process
round trips stay out of the numbers. Weights are random (timing only), the shapes the spec's.
"""

import argparse
import json
import re
import statistics
import sys
import time


def measure(step, o):
    """harness.ts's `measure`: one cold run, warm-ups, then runs until enough samples or the budget is spent."""
    t0 = time.perf_counter()
    step()
    first = (time.perf_counter() - t0) * 1e3
    if first > 5 * o["budgetMs"]:
        return [first]
    slow = first > o["budgetMs"] / 4
    warmups = 0 if slow else o["warmup"] - 1
    warmup_ms = 0 if slow else o.get("warmupMs", 0)
    warming = time.perf_counter()
    i = 0
    while i < warmups or (time.perf_counter() - warming) * 1e3 < warmup_ms:
        step()
        i += 1
    min_runs = 2 if slow else o["minRuns"]
    samples = []
    start = time.perf_counter()
    while len(samples) < o["maxRuns"] and (len(samples) < min_runs or (time.perf_counter() - start) * 1e3 < o["budgetMs"]):
        t0 = time.perf_counter()
        step()
        samples.append((time.perf_counter() - t0) * 1e3)
    return samples


class SpecNet:
    """A network of src/models/spec.ts: one module per conv/linear layer, walked as the spec says."""

    def __init__(self, torch, layers, device):
        self.torch = torch
        self.layers = layers
        self.modules = {}
        self._build(torch, layers, device)

    def _build(self, torch, layers, device):
        nn = torch.nn
        for layer in layers:
            kind = layer["kind"]
            if kind == "conv":
                conv = nn.Conv2d(layer["cin"], layer["cout"], layer["k"], stride=layer["stride"], padding=layer["pad"])
                self.modules[layer["name"]] = conv.to(device).eval()
            elif kind == "linear":
                self.modules[layer["name"]] = nn.Linear(layer["cin"], layer["cout"]).to(device).eval()
            elif kind == "residual":
                self._build(torch, layer["body"] + layer["shortcut"], device)
            elif kind == "fire":
                self._build(torch, [layer["squeeze"], layer["expand1"], layer["expand3"]], device)

    def __call__(self, x, layers=None):
        F = self.torch.nn.functional
        for layer in self.layers if layers is None else layers:
            kind = layer["kind"]
            if kind == "conv":
                x = self.modules[layer["name"]](x)
                if layer["relu"]:
                    x = F.relu(x)
            elif kind == "maxpool":
                x = F.max_pool2d(x, layer["k"], layer["stride"], layer["pad"])
            elif kind == "residual":
                shortcut = self(x, layer["shortcut"]) if layer["shortcut"] else x
                x = F.relu(self(x, layer["body"]) + shortcut)
            elif kind == "fire":
                s = self(x, [layer["squeeze"]])
                x = self.torch.cat([self(s, [layer["expand1"]]), self(s, [layer["expand3"]])], 1)
            elif kind == "gap":
                x = x.mean((2, 3))
            elif kind == "linear":
                x = self.modules[layer["name"]](x)
        return x


def prepare(torch, req, device):
    """The step to time for one request, as a function with no arguments."""
    kind = req["kind"]
    # A CUDA step ends on the host, as every WebGPU row's ends with a read.
    done = (lambda t: t.sum().item()) if device == "cuda" else (lambda t: None)
    if kind == "gemm":
        n = req["n"]
        a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
        return lambda: done(a @ b)
    if kind == "conv":
        x, w = torch.randn(*req["input"], device=device), torch.randn(*req["weight"], device=device)
        return lambda: done(torch.nn.functional.conv2d(x, w, padding=req["pad"]))
    if kind == "inference":
        net = SpecNet(torch, req["net"]["layers"], device)
        x = torch.randn(*req["net"]["input"], device=device)

        def infer():
            with torch.inference_mode():
                done(net(x))

        return infer
    if kind == "train-cifar":
        return cifar_step(torch, req["cifar"], device)
    raise ValueError(f"unknown workload kind {kind!r}")


def cifar_step(torch, c, device):
    """src/models/cifar.ts's CNN: two conv3×3+ReLU+maxpool2, two linear layers, cross-entropy, Adam."""
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(c["conv1"]["cin"], c["conv1"]["cout"], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c["conv2"]["cin"], c["conv2"]["cout"], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c["flat"], c["hidden"]), nn.ReLU(), nn.Linear(c["hidden"], c["classes"]),
    ).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(*c["input"], device=device)
    labels = (torch.arange(c["batch"]) % c["classes"]).to(device)

    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        loss.item()

    return step


def answer(torch, req, device):
    try:
        samples = measure(prepare(torch, req, device), req["timing"])
    except Exception as err:  # reported to the row, which prints it as the cell's reason
        return {"id": req.get("id"), "error": f"{type(err).__name__}: {err}"}
    return {"id": req["id"], "medianMs": statistics.median(samples), "runs": len(samples), "samplesMs": samples}


def start(args):
    """Imports torch and sets the device up; returns (torch, ready line)."""
    import torch

    torch.set_num_threads(args.threads)
    if args.device == "cuda":
        if not torch.cuda.is_available():
            return torch, {"skip": f"PyTorch {torch.__version__} sees no CUDA device"}
        # fp32 as the WebGPU rows compute it: no TF32 in cuBLAS or cuDNN.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
        name = torch.cuda.get_device_name(0)
        return torch, {"ready": True, "torch": torch.__version__, "device": f"{name} (CUDA {torch.version.cuda})"}
    ready = {"ready": True, "torch": torch.__version__, "device": "cpu", "threads": torch.get_num_threads()}
    return torch, {**ready, "blas": blas_library(torch)}


def blas_library(torch):
    """The BLAS this process loaded (Debian's torch takes whichever libblas.so.3 the system
    points at: the reference BLAS unless OpenBLAS or BLIS is installed), else the build's."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1].rsplit("/", 1)[-1]}
        if paths:
            return ", ".join(sorted(paths))
    except OSError:
        pass
    build = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return build.group(1) if build else "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch, ready = start(args)
    print(json.dumps(ready), flush=True)
    if "skip" in ready:
        return
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(answer(torch, json.loads(line), args.device)), flush=True)


if __name__ == "__main__":
    main()
