"""Shared helpers for the golden-value scripts: tensor <-> JSON, one op case, writing a fixture.

Every fixture is {"generator", "torch", "cases": [...]}; see tools/golden/README.md for the case format.
Values are written so that C# reads them back bit-exactly:
  float64 -> Python's repr (shortest string that round-trips; .NET's double.Parse is correctly rounded);
  float32 -> the shortest float32 string, checked here to survive double.Parse followed by (float).
"""
import json
import os

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN_DIR = os.path.join(REPO, "tests", "SharpGrad.Tests", "Golden")

DTYPES = {"float64": torch.float64, "float32": torch.float32}


def rn(*shape, dtype=torch.float64):
    """Standard normal values from torch's (seeded) generator."""
    return torch.randn(*shape, dtype=dtype)


def pair(v):
    """An int or a pair as [h, w], the way torch's convolution and pooling arguments take them."""
    return [v, v] if isinstance(v, int) else list(v)


def _f32_value(v):
    """Shortest decimal of a float32, as the double it parses to; (float)double gives back v exactly."""
    f = np.float32(v)
    short = float(repr(f)) if np.isfinite(f) else float(f)
    # The double nearest the short decimal must round (to nearest even) back to the same float32.
    if np.float32(short) != f:
        short = float(f)  # exact double of the float32: always round-trips
    return short


def flat(t, int_values=False):
    """Flat row-major list of Python numbers for tensor t."""
    t = t.detach().contiguous().reshape(-1)
    if int_values:
        return [float(int(v)) for v in t.tolist()]
    if t.dtype == torch.float32:
        return [_f32_value(v) for v in t.numpy()]
    return [float(v) for v in t.double().tolist()]


def tj(t, is_int=False):
    """{"shape": [...], "data": [...]} for a tensor; integer tensors get "int": true."""
    d = {"shape": list(t.shape), "data": flat(t, is_int)}
    if is_int:
        d["int"] = True
    return d


def nested(t):
    """A tensor as nested lists (for the assignment's worked example, which reads as matrices)."""
    return t.detach().double().tolist()


def op_case(name, op, fn, inputs, args=None, grad_mask=None, int_mask=None, zero_grads=False):
    """Run fn(*inputs), seeded upstream gradient g, grads = d(sum(out*g))/d input_i.

    inputs: tensors (float ones are made leaves requiring grad unless grad_mask says False).
    zero_grads: the op is piecewise constant (step, sign) or has no autograd formula in torch;
    its true gradient is zero almost everywhere, so zeros are stored.
    """
    n = len(inputs)
    grad_mask = grad_mask if grad_mask is not None else [t.is_floating_point() for t in inputs]
    int_mask = int_mask if int_mask is not None else [not t.is_floating_point() for t in inputs]
    leaves = []
    for t, g in zip(inputs, grad_mask):
        t = t.detach().clone()
        if g and not zero_grads:
            t.requires_grad_(True)
        leaves.append(t)
    out = fn(*leaves)
    dtype = out.dtype
    grad_out = torch.randn(out.shape, dtype=dtype)
    grads = [None] * n
    wanted = [i for i in range(n) if grad_mask[i]]
    if zero_grads:
        for i in wanted:
            grads[i] = torch.zeros_like(leaves[i])
    elif wanted:
        gs = torch.autograd.grad(out, [leaves[i] for i in wanted], grad_out, allow_unused=True)
        for i, g in zip(wanted, gs):
            grads[i] = g if g is not None else torch.zeros_like(leaves[i])
    dname = {torch.float64: "float64", torch.float32: "float32"}[dtype]
    return {
        "name": name,
        "op": op,
        "dtype": dname,
        "args": args or {},
        "inputs": [tj(t, is_int=im) for t, im in zip(leaves, int_mask)],
        "output": tj(out),
        "grad_output": tj(grad_out),
        "grads": [tj(g) if g is not None else None for g in grads],
    }


def write(file_name, generator, cases, extra=None):
    """Write the fixture with one case per line (readable diffs) and check names are unique."""
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate case names: {sorted(dup)}")
    head = {"generator": generator, "torch": torch.__version__}
    if extra:
        head.update(extra)
    path = os.path.join(GOLDEN_DIR, file_name)
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    sep = (",", ":")
    with open(path, "w", encoding="utf-8") as f:
        f.write("{")
        for k, v in head.items():
            f.write(json.dumps(k) + ":" + json.dumps(v, separators=sep, allow_nan=False) + ",\n")
        f.write('"cases":[\n')
        for i, c in enumerate(cases):
            f.write(json.dumps(c, separators=sep, allow_nan=False))
            f.write(",\n" if i + 1 < len(cases) else "\n")
        f.write("]}\n")
    size = os.path.getsize(path)
    print(f"{path}: {len(cases)} cases, {size / 1024:.1f} KB")
    if size > 300 * 1024:
        raise SystemExit(f"{file_name} is {size} bytes, over the 300 KB budget")
