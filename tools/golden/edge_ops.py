#!/usr/bin/python3
"""Golden values for PyTorch's conventions at the edges (issue 24): empty and 0-d tensors, reductions over an
empty dim list, pow at a zero base, and the errors PyTorch raises where a reduction really has no elements.

Run: /usr/bin/python3 tools/golden/edge_ops.py   (writes tests/SharpGrad.Tests/Golden/edge_ops.json)
Cases follow core_ops.json (same op names and args, read by the same test mapping) plus:
  - "error": {"type": "IndexError", "message": "..."} where torch raises; such a case has no output or grads;
  - non-finite values (a mean of nothing is nan) written as the strings "nan", "inf", "-inf";
  - ops argmax, argmin (args dim, keepdim; the output holds the indices as numbers) and squeeze (args dim).
"""
import math

import torch
import torch.nn.functional as F

from golden_io import op_case, tj, write

torch.manual_seed(24)
f64 = torch.float64


def rn(*shape):
    return torch.randn(*shape, dtype=f64)


def zeros(*shape):
    return torch.zeros(*shape, dtype=f64)


def finite_or_text(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def encode(case):
    """JSON has no nan/inf: non-finite data values become strings (GoldenTensor reads them back)."""
    for key in ("inputs", "grads"):
        for t in case.get(key) or []:
            if t is not None:
                t["data"] = [finite_or_text(v) for v in t["data"]]
    for key in ("output", "grad_output"):
        if case.get(key) is not None:
            case[key]["data"] = [finite_or_text(v) for v in case[key]["data"]]
    return case


cases = []


def add(name, op, fn, inputs, args=None, **k):
    """One case; where torch raises, the case records the error instead of values."""
    try:
        c = op_case(name, op, fn, inputs, args, **k)
    except (IndexError, RuntimeError) as e:
        c = {"name": name, "op": op, "dtype": "float64", "args": args or {}, "inputs": [tj(t) for t in inputs],
             "error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}
    cases.append(encode(c))


def indices(fn):
    """argmax/argmin return int64 indices without a gradient: stored as float64 numbers, grads as zeros."""
    return lambda x: fn(x).to(f64)


# --- sums and means over empty tensors: a sum of nothing is 0, a mean of nothing is nan ----------------
add("sum_2x0_dim1", "sum", lambda x: x.sum(1), [zeros(2, 0)], {"dim": 1, "keepdim": False})
add("sum_2x0_dim0", "sum", lambda x: x.sum(0), [zeros(2, 0)], {"dim": 0, "keepdim": False})
add("sum_2x0_all", "sum", lambda x: x.sum(), [zeros(2, 0)], {"dim": None, "keepdim": False})
add("sum_2x0_dim1_keepdim", "sum", lambda x: x.sum(1, keepdim=True), [zeros(2, 0)], {"dim": 1, "keepdim": True})
add("mean_0_all", "mean", lambda x: x.mean(), [zeros(0)], {"dim": None, "keepdim": False})
add("mean_2x0_dim1", "mean", lambda x: x.mean(1), [zeros(2, 0)], {"dim": 1, "keepdim": False})
add("mean_2x0_dim0", "mean", lambda x: x.mean(0), [zeros(2, 0)], {"dim": 0, "keepdim": False})

# --- amax/amin/argmax/argmin: empty results where the reduced dim has elements, errors where it has none ---
for op, fn in (("max", torch.amax), ("min", torch.amin)):
    add(f"{op}_2x0_dim0", op, lambda x, fn=fn: fn(x, 0), [zeros(2, 0)], {"dim": 0, "keepdim": False})
    add(f"{op}_0x3_dim1_keepdim", op, lambda x, fn=fn: fn(x, 1, keepdim=True), [zeros(0, 3)], {"dim": 1, "keepdim": True})
    add(f"{op}_2x0_dim1_error", op, lambda x, fn=fn: fn(x, 1), [zeros(2, 0)], {"dim": 1, "keepdim": False})
    add(f"{op}_0x3_all_error", op, lambda x, fn=fn: fn(x, (0, 1)), [zeros(0, 3)], {"dim": [0, 1], "keepdim": False})
for op, fn in (("argmax", torch.argmax), ("argmin", torch.argmin)):
    add(f"{op}_0x3_dim1", op, indices(lambda x, fn=fn: fn(x, 1)), [zeros(0, 3)], {"dim": 1, "keepdim": False}, zero_grads=True)
    add(f"{op}_2x0_dim0_keepdim", op, indices(lambda x, fn=fn: fn(x, 0, keepdim=True)), [zeros(2, 0)], {"dim": 0, "keepdim": True}, zero_grads=True)
    add(f"{op}_0x3_dim0_error", op, indices(lambda x, fn=fn: fn(x, 0)), [zeros(0, 3)], {"dim": 0, "keepdim": False}, zero_grads=True)

# --- 0-d tensors: argmax of a scalar is 0, squeeze of a scalar is the scalar ------------------------------
scalar = torch.tensor(3.5, dtype=f64)
for op, fn in (("argmax", torch.argmax), ("argmin", torch.argmin)):
    for dim in (0, -1):
        add(f"{op}_scalar_dim{dim}", op, indices(lambda x, fn=fn, dim=dim: fn(x, dim)), [scalar], {"dim": dim, "keepdim": False}, zero_grads=True)
    add(f"{op}_scalar_dim0_keepdim", op, indices(lambda x, fn=fn: fn(x, 0, keepdim=True)), [scalar], {"dim": 0, "keepdim": True}, zero_grads=True)
    add(f"{op}_scalar_dim1_error", op, indices(lambda x, fn=fn: fn(x, 1)), [scalar], {"dim": 1, "keepdim": False}, zero_grads=True)
for dim in (0, -1):
    add(f"squeeze_scalar_dim{dim}", "squeeze", lambda x, dim=dim: x.squeeze(dim), [scalar], {"dim": dim})
add("squeeze_scalar_dim1_error", "squeeze", lambda x: x.squeeze(1), [scalar], {"dim": 1})
for op, fn in (("sum", torch.sum), ("mean", torch.mean), ("max", torch.amax), ("min", torch.amin)):
    add(f"{op}_scalar_dim-1", op, lambda x, fn=fn: fn(x, -1), [scalar], {"dim": -1, "keepdim": False})
add("softmax_scalar_dim0", "softmax", lambda x: torch.softmax(x, 0), [scalar], {"dim": 0})

# --- an empty dim list reduces every dim (torch 1.13) ------------------------------------------------------
x23 = rn(2, 3)
for op, fn in (("sum", torch.sum), ("mean", torch.mean), ("max", torch.amax), ("min", torch.amin)):
    add(f"{op}_2x3_dims_empty", op, lambda x, fn=fn: fn(x, ()), [x23], {"dim": [], "keepdim": False})
    add(f"{op}_2x3_dims_empty_keepdim", op, lambda x, fn=fn: fn(x, (), keepdim=True), [x23], {"dim": [], "keepdim": True})
add("max_0x3_dims_empty_error", "max", lambda x: torch.amax(x, ()), [zeros(0, 3)], {"dim": [], "keepdim": False})

# --- matmul, softmax family and losses on empty batches -------------------------------------------------
add("matmul_2x0_0x3", "matmul", torch.matmul, [zeros(2, 0), zeros(0, 3)])
add("matmul_0x2_2x3", "matmul", torch.matmul, [zeros(0, 2), rn(2, 3)])
add("matmul_batch0_2x2_2x3", "matmul", torch.matmul, [zeros(0, 2, 2), rn(2, 3)])
for op, fn in (("softmax", torch.softmax), ("log_softmax", torch.log_softmax)):
    add(f"{op}_0x3_dim1", op, lambda x, fn=fn: fn(x, 1), [zeros(0, 3)], {"dim": 1})
    add(f"{op}_3x0_dim1", op, lambda x, fn=fn: fn(x, 1), [zeros(3, 0)], {"dim": 1})
no_targets = torch.zeros(0, dtype=torch.long)
for red in ("mean", "sum", "none"):
    add(f"cross_entropy_0x3_{red}", "cross_entropy", lambda x, t, red=red: F.cross_entropy(x, t, reduction=red),
        [zeros(0, 3), no_targets], {"reduction": red})
    add(f"mse_loss_2x0_{red}", "mse_loss", lambda x, y, red=red: F.mse_loss(x, y, reduction=red),
        [zeros(2, 0), zeros(2, 0)], {"reduction": red}, grad_mask=[True, False])
    add(f"bce_with_logits_loss_0_{red}", "bce_with_logits_loss",
        lambda x, y, red=red: F.binary_cross_entropy_with_logits(x, y, reduction=red),
        [zeros(0), zeros(0)], {"reduction": red}, grad_mask=[True, False])
add("neg_2x0", "neg", torch.neg, [zeros(2, 0)])
add("sigmoid_0", "sigmoid", torch.sigmoid, [zeros(0)])

# --- empty slices (Python's clamping of start and end) ----------------------------------------------------
a5 = rn(5)
for start, end in ((3, 1), (7, 9), (5, 5), (-9, 2)):
    add(f"slice_5_{start}_{end}", "slice", lambda x, s=start, e=end: x[s:e], [a5], {"dim": 0, "start": start, "end": end, "step": 1})

# --- pow at a zero base: the exponent's gradient takes the limit 0 where base = 0 and exponent >= 0 -------------
add("pow_tensor_zero_base_1.5", "pow", torch.pow, [torch.tensor([0.0, 2.0], dtype=f64), torch.tensor(1.5, dtype=f64)])
add("pow_tensor_zero_to_zero", "pow", torch.pow, [torch.tensor([0.0], dtype=f64), torch.tensor([0.0], dtype=f64)])
add("pow_tensor_zero_base_signs", "pow", torch.pow, [torch.tensor([0.0, 0.0, 0.0], dtype=f64), torch.tensor([0.5, 2.0, -0.5], dtype=f64)])

write("edge_ops.json", "tools/golden/edge_ops.py", cases)
