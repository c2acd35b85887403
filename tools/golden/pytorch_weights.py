#!/usr/bin/python3
"""PyTorch state dicts into SharpGrad and SharpGrad's into PyTorch (issue 16), as small safetensors fixtures.

Run after the SharpGrad side has written its fixtures (see README.md, "PyTorch weights both ways"):
    /usr/bin/python3 tools/golden/pytorch_weights.py
Writes to tests/SharpGrad.Tests/Golden/PytorchWeights/:
    torch_<model>.safetensors.gz    PyTorch's state dict (the model's own names) plus "__input__" and
                                    "__output__" = model(input), float32
    reverse_<model>.safetensors.gz  "__output__" = PyTorch's model, loaded (strict) with SharpGrad's state
                                    dict from sharpgrad_<model>.safetensors.gz, applied to its "__input__"
Models: lenet and mlp (SharpGrad's Models/LeNet.cs, Models/Mlp.cs as torch.nn.Sequential), and
lstm = nn.LSTM(3, 8, num_layers=2) on [T=5, B=2, 3].
To keep the files small, weight matrices keep a random share of their entries (lenet 15%, mlp 1%, lstm all)
and the rest are zero; biases are kept whole. Files are gzip-compressed safetensors.
"""
import gzip
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "tests", "SharpGrad.Tests", "Golden", "PytorchWeights")
MAX_BYTES = 300_000


def write_safetensors(path, tensors):
    """float32 tensors in the safetensors layout: u64 header length, JSON header, data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    raw = struct.pack("<Q", len(head)) + head + b"".join(blobs)
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    if len(packed) > MAX_BYTES:
        raise SystemExit(f"{path}: {len(packed)} bytes is over {MAX_BYTES}")
    with open(path, "wb") as f:
        f.write(packed)
    print(f"wrote {os.path.relpath(path, REPO)} ({len(packed)} bytes)")


def read_safetensors(path):
    raw = gzip.decompress(open(path, "rb").read())
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        a, b = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(raw[base + a:base + b], dtype="<f4").copy()).reshape(info["shape"])
    return out


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


class Lstm(nn.Module):
    """nn.LSTM's output sequence only, as SharpGrad's Lstm.Forward(input); the state dict is nn.LSTM's."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 8, num_layers=2)

    def forward(self, x):
        return self.lstm(x)[0]

    def state_dict(self):
        return self.lstm.state_dict()

    def load_state_dict(self, d, strict=True):
        return self.lstm.load_state_dict(d, strict=strict)


MODELS = {
    "lenet": (lenet, 0.15, [2, 1, 28, 28]),
    "mlp": (mlp, 0.01, [2, 1, 28, 28]),
    "lstm": (Lstm, 1.0, [5, 2, 3]),
}

torch.manual_seed(16)
for name, (build, keep, input_shape) in MODELS.items():
    model = build().eval()
    with torch.no_grad():
        for key, p in model.state_dict().items():
            if key.endswith("weight") or "weight_" in key:
                p.copy_(torch.where(torch.rand(p.shape) < keep, p, torch.zeros_like(p)))   # +0, not -0: compresses
    x = torch.randn(input_shape)
    with torch.no_grad():
        y = model(x)
    write_safetensors(os.path.join(OUT, f"torch_{name}.safetensors.gz"), {**model.state_dict(), "__input__": x, "__output__": y})

    # SharpGrad's state dict into the same PyTorch model (strict: every name and shape must match).
    sharp_path = os.path.join(OUT, f"sharpgrad_{name}.safetensors.gz")
    if not os.path.exists(sharp_path):
        raise SystemExit(f"{sharp_path} is missing: write it first (tools/golden/README.md)")
    sharp = read_safetensors(sharp_path)
    sx = sharp.pop("__input__")
    theirs = build().eval()
    theirs.load_state_dict(sharp, strict=True)
    with torch.no_grad():
        sy = theirs(sx)
    write_safetensors(os.path.join(OUT, f"reverse_{name}.safetensors.gz"), {"__output__": sy})
