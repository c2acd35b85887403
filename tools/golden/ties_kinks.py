#!/usr/bin/python3
"""Golden values at ties and kinks (issue 23, item 2): where PyTorch's choice of gradient decides the answer.

Run: /usr/bin/python3 tools/golden/ties_kinks.py   (writes tests/SharpGrad.Tests/Golden/ties_kinks.json)
The core_ops format, with the op names and args of core_ops.json (max, min, relu, leaky_relu, clamp),
nn_activations.json (hardtanh, relu6), nn_pool.json (max_pool1d/2d/3d, adaptive_max_pool2d with indices) and
nn_layers.json (max_indices, min_indices), plus `maxout` (`pieces`): o[..., j] = max_p z[..., p*U + j], which is
z.view(..., P, U).max(dim=-2) in torch, so a tie sends the gradient to the first piece.
Inputs are small integers (many ties) or sit exactly on the kinks; PyTorch's rules there:
  max-pool and torch.max/min(x, dim): the first maximum in scan order takes the whole gradient;
  amax/amin (op max/min): the gradient is split evenly among the tied entries;
  relu 0 and leaky_relu slope at 0; hardtanh/relu6 0 at both bounds; clamp 1 at both bounds (min <= x <= max).
"""
import torch
import torch.nn.functional as F

from golden_io import op_case, write, tj

torch.manual_seed(23)
f64, f32 = torch.float64, torch.float32

cases = []


def add(*a, **k):
    cases.append(op_case(*a, **k))


def ties(*shape, dtype=f64, levels=3):
    """Integers 0..levels-1: most windows hold a tied maximum."""
    return torch.randint(0, levels, shape).to(dtype)


def sfx(dtype):
    return "" if dtype == f64 else "_f32"


# --- max pools with ties: non-overlapping, overlapping (stride < kernel), padded, dilated, all equal --------------
# The example: one window of 4 over [3, 3, 1, 3] and overlapping windows; the first 3 takes the gradient.
add("max_pool1d_k4_s1_ties_issue_example", "max_pool1d", lambda x: F.max_pool1d(x, 4, 1),
    [torch.tensor([[[3.0, 3.0, 1.0, 3.0, 3.0, 0.0, 3.0, 2.0]]], dtype=f64)], {"kernel": 4, "stride": 1, "padding": 0})
for name, shape, k, s, p, d in [
    ("k2_s2", (2, 3, 10), 2, 2, 0, 1),
    ("k3_s1_pad1_overlapping", (2, 3, 11), 3, 1, 1, 1),
    ("k4_s2_overlapping", (1, 2, 12), 4, 2, 0, 1),
    ("k2_s1_dil2_overlapping", (1, 2, 9), 2, 1, 0, 2),
]:
    add(f"max_pool1d_{name}_ties", "max_pool1d", lambda x, k=k, s=s, p=p, d=d: F.max_pool1d(x, k, s, p, dilation=d),
        [ties(*shape)], {"kernel": k, "stride": s, "padding": p, "dilation": d})
add("max_pool1d_k3_s1_all_equal", "max_pool1d", lambda x: F.max_pool1d(x, 3, 1), [torch.full((1, 1, 7), 2.0, dtype=f64)],
    {"kernel": 3, "stride": 1, "padding": 0})

# 2-D: [2, 3, 8, 34] rows are two 16-float vectors and a tail, for the vectorised 2x2 path in float32.
for dtype in (f64, f32):
    for name, shape, k, s, p in [
        ("k2_s2", (2, 3, 8, 34), [2, 2], [2, 2], [0, 0]),
        ("k3_s1_overlapping", (2, 2, 7, 9), [3, 3], [1, 1], [0, 0]),
        ("k3_s2_pad1_overlapping", (1, 3, 8, 9), [3, 3], [2, 2], [1, 1]),
        ("k2x3_s1x2_overlapping", (1, 2, 6, 11), [2, 3], [1, 2], [0, 1]),
    ]:
        add(f"max_pool2d_{name}_ties{sfx(dtype)}", "max_pool2d", lambda x, k=k, s=s, p=p: F.max_pool2d(x, k, s, p),
            [ties(*shape, dtype=dtype)], {"kernel": k, "stride": s, "padding": p})
add("max_pool2d_k2_s1_all_equal", "max_pool2d", lambda x: F.max_pool2d(x, 2, 1), [torch.full((1, 1, 4, 5), -1.5, dtype=f64)],
    {"kernel": [2, 2], "stride": [1, 1], "padding": [0, 0]})

for name, shape, k, s, p in [
    ("k2_s2", (1, 2, 4, 6, 6), [2, 2, 2], [2, 2, 2], [0, 0, 0]),
    ("k2_s1_overlapping", (1, 2, 4, 5, 5), [2, 2, 2], [1, 1, 1], [0, 0, 0]),
    ("k3_s2_pad1_overlapping", (2, 1, 5, 5, 6), [3, 3, 3], [2, 2, 2], [1, 1, 1]),
]:
    add(f"max_pool3d_{name}_ties", "max_pool3d", lambda x, k=k, s=s, p=p: F.max_pool3d(x, k, s, p),
        [ties(*shape)], {"kernel": k, "stride": s, "padding": p})
add("max_pool3d_k2_s1_all_equal", "max_pool3d", lambda x: F.max_pool3d(x, 2, 1), [torch.full((1, 1, 3, 3, 3), 4.0, dtype=f64)],
    {"kernel": [2, 2, 2], "stride": [1, 1, 1], "padding": [0, 0, 0]})

# AdaptiveMaxPool2d: 7 -> 3 and 5 -> 4 give overlapping bins; indices = flat y*W + x of each maximum in its plane.
for name, x, out in [("7x5_to_3x4", ties(2, 2, 7, 5), [3, 4]), ("6x9_to_4x4", ties(1, 3, 6, 9), [4, 4]),
                     ("5x5_to_3x3_all_equal", torch.full((1, 1, 5, 5), 1.0, dtype=f64), [3, 3])]:
    _, idx = F.adaptive_max_pool2d(x, out, return_indices=True)
    add(f"adaptive_max_pool2d_{name}_ties", "adaptive_max_pool2d", lambda x, out=out: F.adaptive_max_pool2d(x, out), [x],
        {"output_size": out, "indices": idx.reshape(-1).tolist()})

# --- max/min reductions with ties ------------------------------------------------------------------------------
# amax/amin (ops max/min, full and along dims): the gradient is split evenly among the tied entries.
for op, fn in (("max", torch.amax), ("min", torch.amin)):
    for dim, dn in [(None, "all"), (1, "dim1"), (-1, "dim-1"), ([0, 2], "dims0_2")]:
        for keep in (False, True):
            d = (0, 1, 2) if dim is None else (tuple(dim) if isinstance(dim, list) else dim)
            add(f"{op}_{dn}_keepdim_{str(keep).lower()}_ties_3x4x5", op, lambda x, d=d, k=keep, fn=fn: fn(x, d, k),
                [ties(3, 4, 5)], {"dim": dim, "keepdim": keep})
    add(f"{op}_all_all_equal", op, lambda x, fn=fn: fn(x, (0, 1)), [torch.full((2, 3), 0.5, dtype=f64)], {"dim": None, "keepdim": False})
# torch.max/min(x, dim): values and indices; the first extreme along dim is the index and takes the gradient.
for op, fn in (("max_indices", torch.max), ("min_indices", torch.min)):
    for dim in (0, 1, -1):
        for keep in (False, True):
            x = ties(3, 4, 5)
            _, ids = fn(x, dim, keepdim=keep)
            c = op_case(f"{op}_dim{dim}_keepdim_{str(keep).lower()}_ties_3x4x5", op,
                        lambda x, fn=fn, dim=dim, keep=keep: fn(x, dim, keepdim=keep).values, [x], {"dim": dim, "keepdim": keep})
            c["args"]["indices"] = tj(ids, is_int=True)
            cases.append(c)

# --- Maxout: pieces-major columns, ties go to the first piece -----------------------------------------------------
for dtype in (f64, f32):
    for pieces, shape in [(2, (4, 2 * 5)), (3, (2, 3, 3 * 4)), (4, (3, 4 * 37))]:
        add(f"maxout_p{pieces}_{'x'.join(map(str, shape))}_ties{sfx(dtype)}", "maxout",
            lambda z, P=pieces: z.reshape(*z.shape[:-1], P, z.shape[-1] // P).max(dim=-2).values,
            [ties(*shape, dtype=dtype)], {"pieces": pieces})
add("maxout_p3_all_equal", "maxout", lambda z: z.reshape(2, 3, 4).max(dim=-2).values, [torch.full((2, 12), 7.0, dtype=f64)],
    {"pieces": 3})

# --- signed zeros tie: -0.0 == 0.0, so the first of them in scan order is the maximum (amax: both share) ----------
sz = torch.tensor([[[-0.0, 0.0, -1.0, 0.0, -0.0, -2.0]]], dtype=f64)
add("max_pool1d_k2_s1_signed_zero_ties", "max_pool1d", lambda x: F.max_pool1d(x, 2, 1), [sz],
    {"kernel": 2, "stride": 1, "padding": 0, "dilation": 1})
add("max_dim-1_keepdim_false_signed_zero_ties", "max", lambda x: x.amax(-1), [sz], {"dim": -1, "keepdim": False})
add("maxout_p2_signed_zero_ties", "maxout", lambda z: z.reshape(1, 2, 3).max(dim=-2).values, [sz.reshape(1, 6)], {"pieces": 2})
_, ids = torch.max(sz, -1)
c = op_case("max_indices_dim-1_keepdim_false_signed_zero_ties", "max_indices", lambda x: torch.max(x, -1).values, [sz],
            {"dim": -1, "keepdim": False})
c["args"]["indices"] = tj(ids, is_int=True)
cases.append(c)


# --- activations exactly at their kinks, with values on both sides of every kink --------------------------------
def around(points, dtype):
    """Each kink, 0.25 either side of it, and 1.5 beyond the outermost, as a [2, n] tensor (row 2 reversed)."""
    v = sorted({q for k in points for q in (k - 0.25, k, k + 0.25)} | {min(points) - 1.5, max(points) + 1.5})
    t = torch.tensor(v, dtype=dtype)
    return torch.stack([t, t.flip(0)])


for dtype in (f64, f32):
    s = sfx(dtype)
    add(f"relu_kinks{s}", "relu", torch.relu, [around([0.0], dtype)])
    for slope in (0.01, 0.2):
        add(f"leaky_relu_slope{slope}_kinks{s}", "leaky_relu", lambda x, sl=slope: F.leaky_relu(x, sl),
            [around([0.0], dtype)], {"slope": slope})
    for lo, hi in ((-1.0, 1.0), (-0.5, 2.0)):
        add(f"hardtanh_{lo}_{hi}_kinks{s}", "hardtanh", lambda x, lo=lo, hi=hi: F.hardtanh(x, lo, hi),
            [around([lo, hi], dtype)], {"min_val": lo, "max_val": hi})
    add(f"relu6_kinks{s}", "relu6", F.relu6, [around([0.0, 6.0], dtype)])
    for lo, hi, nm in [(-0.5, 0.7, "both"), (-0.3, None, "min_only"), (None, 0.4, "max_only")]:
        add(f"clamp_{nm}_kinks{s}", "clamp", lambda t, lo=lo, hi=hi: torch.clamp(t, min=lo, max=hi),
            [around([b for b in (lo, hi) if b is not None], dtype)], {"min": lo, "max": hi})

# Padding past the dilation (3 > 2): the first tap inside the input is two taps into the window. Last, so that the
# cases above keep their random draws.
add("max_pool1d_k6_s1_pad3_dil2_overlapping_ties", "max_pool1d", lambda x: F.max_pool1d(x, 6, 1, 3, dilation=2),
    [ties(1, 2, 9)], {"kernel": 6, "stride": 1, "padding": 3, "dilation": 2})

write("ties_kinks.json", "tools/golden/ties_kinks.py", cases)
