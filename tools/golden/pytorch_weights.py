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
import os

import torch
import torch.nn as nn

from pytorch_weights_models import Lstm, lenet, mlp
from safetensors_io import OUT_DIR, read_safetensors, write_safetensors

OUT = os.path.join(OUT_DIR, "PytorchWeights")


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
