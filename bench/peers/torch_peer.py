#!/usr/bin/python3
"""PyTorch's side of `sharpgrad bench --json`: the same workloads, shapes and JSON keys.

Run with Debian's interpreter (it has torch 1.13 on OpenBLAS):
    /usr/bin/python3 bench/peers/torch_peer.py [--threads N] [--seconds S] [--warmup W] [--warmup-steps N] [--only lenet,mlp]

Each workload: warm-up, then as many steps as fit in S seconds; rate = items / elapsed. The inference workloads
(infer-lenet, infer-cnn, infer-mlp, infer-lstm) run eval() under torch.inference_mode() at batch 1, whose figure is
the median µs per call, and at batch 64 (samples or sequences per second).
Peak memory: the process's VmHWM (peak resident set) while the workload ran, reset before it
through /proc/self/clear_refs ("5" resets the high-water mark), so it covers the interpreter,
torch and the workload, as SharpGrad's figure covers the .NET runtime and the workload.
"""
import argparse
import gc
import json
import os
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_recipe import cnn  # noqa: E402  (SharpGrad's ModelZoo "cnn", as the recipe peer builds it)

WORKLOADS = ["sgemm256", "sgemm1024", "lenet", "mlp", "lstm", "transformer", "infer-lenet", "infer-cnn", "infer-mlp", "infer-lstm"]


def vm_kib(field):
    with open("/proc/self/status") as f:
        return int(re.search(field + r":\s+(\d+)", f.read()).group(1))


def reset_peak():
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def timed(step, seconds, warmup_seconds, warmup_steps, latency=False):
    """(steps/s, steps, process CPU ms per step) over `seconds` of wall time, after a warm-up of at least
    `warmup_seconds` and `warmup_steps` steps (the same rule as sharpgrad's, whose tiered JIT needs the steps).
    CPU time covers all the process's threads and is less sensitive than wall time to other load on the machine.
    With `latency`, steps/s is 1 / the median of the steps' own times, as sharpgrad reports a batch-1 latency."""
    start = time.perf_counter()
    n = 0
    while n < warmup_steps or time.perf_counter() - start < warmup_seconds:
        step()
        n += 1
    steps = 0
    step_times = []
    cpu = time.process_time()
    start = time.perf_counter()
    while True:
        before = time.perf_counter()
        step()
        step_times.append(time.perf_counter() - before)
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and steps >= 3:
            rate = 1 / statistics.median(step_times) if latency else steps / elapsed
            return rate, steps, (time.process_time() - cpu) * 1000 / steps


def sgemm(n):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    c = torch.empty(n, n)

    def step():
        torch.mm(a, b, out=c)

    return step, 2.0 * n ** 3 / 1e9


def lenet_model():
    # LeNet-5 for 28×28: conv 5×5 (pad 2) → 6, pool, conv 5×5 → 16, pool, 400 → 120 → 84 → 10.
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def mlp_model():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 512), nn.ReLU(),
        nn.Linear(512, 512), nn.ReLU(),
        nn.Linear(512, 10))


class LstmRegressor(nn.Module):
    """LSTM(2 → 128), time-major, then a linear head on the last step: the lstm workload's model."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 128)
        self.head = nn.Linear(128, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[-1])


def lenet():
    model = lenet_model()
    return classifier_step(model, torch.optim.Adam(model.parameters(), lr=1e-3))


def mlp():
    model = mlp_model()
    return classifier_step(model, torch.optim.Adam(model.parameters(), lr=1e-3))


def classifier_step(model, opt):
    g = torch.Generator().manual_seed(2)
    x = torch.randn(64, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (64,), generator=g)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return step, 64


def lstm():
    # LSTM(2 → 128) over 100 steps, batch 32, time-major; a linear head on the last step, MSE to a random target.
    model = LstmRegressor()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(3)
    x = torch.randn(100, 32, 2, generator=g)
    y = torch.randn(32, 1, generator=g)

    def step():
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()

    return step, 32


def transformer():
    # TransformerEncoderLayer(d_model 128, 4 heads, feed-forward 512, dropout 0, batch-first) over sequences of 64,
    # batch 32; the mean over the sequence through Linear(128 → 1), MSE to a random target.
    layer = nn.TransformerEncoderLayer(128, 4, dim_feedforward=512, dropout=0.0, batch_first=True)
    head = nn.Linear(128, 1)
    opt = torch.optim.Adam(list(layer.parameters()) + list(head.parameters()), lr=1e-3)
    g = torch.Generator().manual_seed(4)
    x = torch.randn(32, 64, 128, generator=g)
    y = torch.randn(32, 1, generator=g)

    def step():
        opt.zero_grad()
        loss = F.mse_loss(head(layer(x).mean(1)), y)
        loss.backward()
        opt.step()

    return step, 32


def inference(create, shape, seed, batch_axis, batch):
    """One forward of the model in eval mode under inference_mode, on the first `batch` examples of a fixed batch of 64.
    cnn's BatchNorm statistics come from one training-mode pass over the batch, as sharpgrad's do."""
    model = create()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(*shape, generator=g)
    if any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
        with torch.no_grad():
            model.train()(x)
    model.eval()
    x = x.narrow(batch_axis, 0, batch).contiguous()

    def step():
        with torch.inference_mode():
            model(x)

    return step, batch


INFERENCE = {  # name: (model, the batch of 64, its seed, batch dim)
    "infer-lenet": (lenet_model, (64, 1, 28, 28), 2, 0),
    "infer-cnn": (cnn, (64, 1, 28, 28), 2, 0),
    "infer-mlp": (mlp_model, (64, 1, 28, 28), 2, 0),
    "infer-lstm": (LstmRegressor, (100, 64, 2), 3, 1),
}

# name: [(key prefix, rate key, build, latency)]; an inference workload runs at batch 1 (latency) and 64.
RUNS = {
    "sgemm256": [("sgemm256", "sgemm256_gflops", lambda: sgemm(256), False)],
    "sgemm1024": [("sgemm1024", "sgemm1024_gflops", lambda: sgemm(1024), False)],
    "lenet": [("lenet", "lenet_train_samples_per_s", lenet, False)],
    "mlp": [("mlp", "mlp_train_samples_per_s", mlp, False)],
    "lstm": [("lstm", "lstm_train_seqs_per_s", lstm, False)],
    "transformer": [("transformer", "transformer_train_seqs_per_s", transformer, False)],
}
for _name, (_create, _shape, _seed, _axis) in INFERENCE.items():
    _key = _name.replace("-", "_")
    _items = "seqs" if _name == "infer-lstm" else "samples"
    RUNS[_name] = [
        (f"{_key}_b1", f"{_key}_b1_latency_us", lambda c=_create, s=_shape, d=_seed, a=_axis: inference(c, s, d, a, 1), True),
        (f"{_key}_b64", f"{_key}_b64_{_items}_per_s", lambda c=_create, s=_shape, d=_seed, a=_axis: inference(c, s, d, a, 64), False),
    ]


def blas_libraries():
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f if "blas" in line or "lapack" in line})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--warmup", type=float, default=5.0)
    p.add_argument("--warmup-steps", type=int, default=60)
    p.add_argument("--only", default=",".join(WORKLOADS))
    p.add_argument("--json", action="store_true", help="accepted for symmetry with sharpgrad; output is always JSON")
    args = p.parse_args()
    only = [w for w in args.only.split(",") if w]
    unknown = [w for w in only if w not in RUNS]
    if unknown:
        sys.exit(f"torch_peer: unknown workload(s) {unknown}; known: {WORKLOADS}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    result = {"peer": "pytorch", "threads": torch.get_num_threads(), "seconds": args.seconds}
    for name in only:
        for key, rate_key, build, latency in RUNS[name]:
            resettable = reset_peak()
            step, items = build()
            rate, steps, cpu_ms = timed(step, args.seconds, args.warmup, args.warmup_steps, latency)
            result[rate_key] = round(1e6 / rate if latency else rate * items, 2)
            result[key + "_steps"] = steps
            result[key + "_cpu_ms_per_step"] = round(cpu_ms, 3)
            if resettable:
                result[key + "_peak_mb"] = round(vm_kib("VmHWM") / 1024, 1)
            del step
    result["torch"] = torch.__version__
    result["blas"] = blas_libraries()
    result["openblas_coretype"] = os.environ.get("OPENBLAS_CORETYPE")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
