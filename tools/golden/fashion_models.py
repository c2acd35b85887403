#!/usr/bin/python3
"""Issue 19 (item 6): the Fashion-MNIST recipe models as the PyTorch peer builds them (bench/peers/fashion_recipe.py),
for the tests that hold SharpGrad's zoo to the same architectures: each model's state dict (names and shapes, in
order, buffers included), its parameter count, and the output shape for a batch of 2 images.

    /usr/bin/python3 tools/golden/fashion_models.py     # writes tests/SharpGrad.Tests/Golden/fashion_models.json
"""
import os
import sys

import torch

from golden_io import REPO, write

sys.path.insert(0, os.path.join(REPO, "bench", "peers"))
from fashion_recipe import models  # noqa: E402


def case(name, build):
    model = build()
    model.eval()
    out = model(torch.zeros(2, 1, 28, 28))
    return {
        "name": name, "op": "model", "dtype": "float32",
        "parameters": sum(p.numel() for p in model.parameters()),
        "state_dict": [[k, list(v.shape)] for k, v in model.state_dict().items()],
        "input_shape": [2, 1, 28, 28],
        "output_shape": list(out.shape),
    }


if __name__ == "__main__":
    torch.manual_seed(0)
    write("fashion_models.json", "tools/golden/fashion_models.py", [case(n, b) for n, b in models().items()])
