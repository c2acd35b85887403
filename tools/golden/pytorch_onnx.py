#!/usr/bin/python3
"""ONNX files written by PyTorch's exporter (torch.onnx.export, opset 13), for the import tests (issue 16).

Run: /usr/bin/python3 tools/golden/pytorch_onnx.py
Writes to tests/SharpGrad.Tests/Golden/PytorchOnnx/:
    <model>.onnx.gz            the exported model (lenet with a dynamic batch dim; a 2-layer LSTM, whose graph
                               computes its zero initial states with Shape/Gather/Expand)
    <model>.io.safetensors.gz  "__input__" and "__output__" = the PyTorch module's output on it
Weight matrices keep 15% of their entries (the rest zero) so the files stay small.
"""
import io
import os

import torch

from pytorch_weights_models import Lstm, lenet
from safetensors_io import OUT_DIR, write_bytes, write_safetensors

OUT = os.path.join(OUT_DIR, "PytorchOnnx")
os.makedirs(OUT, exist_ok=True)


torch.manual_seed(17)
for name, model, x, dynamic in [
    ("lenet", lenet(), torch.randn(3, 1, 28, 28), {"input": {0: "batch"}, "output": {0: "batch"}}),
    ("lstm", Lstm(), torch.randn(5, 2, 3), None),
]:
    model.eval()
    with torch.no_grad():
        for key, p in model.state_dict().items():
            if "weight" in key:
                p.copy_(torch.where(torch.rand(p.shape) < 0.15, p, torch.zeros_like(p)))
        y = model(x)
    buffer = io.BytesIO()
    torch.onnx.export(model, x, buffer, opset_version=13, input_names=["input"], output_names=["output"], dynamic_axes=dynamic)
    write_bytes(os.path.join(OUT, f"{name}.onnx.gz"), buffer.getvalue())
    write_safetensors(os.path.join(OUT, f"{name}.io.safetensors.gz"), {"__input__": x, "__output__": y})
