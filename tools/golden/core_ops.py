#!/usr/bin/python3
"""Golden values for the core ops of issue 3: elementwise, matmul, reductions, views, activations, losses.

Run: /usr/bin/python3 tools/golden/core_ops.py   (writes tests/SharpGrad.Tests/Golden/core_ops.json)
Each case: output = op(*inputs, **args); grads[i] = d(sum(output * grad_output)) / d inputs[i].
Inputs sit away from kinks (|x| >= 0.1 around 0 for abs/relu/sign/step, >= 0.1 from clamp bounds,
no ties in max/min) except in cases whose name says "ties" or "zeros".
"""
import torch
import torch.nn.functional as F

from golden_io import op_case, write, rn

torch.manual_seed(3)
f64 = torch.float64


def off_zero(x, margin=0.1):
    """Move values out of (-margin, margin), keeping their sign: no kink of abs/relu/sign/step is hit."""
    s = torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))
    return s * (x.abs() + margin)


def off_bounds(x, lo, hi, margin=0.1):
    """Push values within margin of a clamp bound to margin past it (bounds are far apart)."""
    for b in (lo, hi):
        if b is None:
            continue
        near = (x - b).abs() < margin
        x = torch.where(near, torch.full_like(x, b) + torch.where(x >= b, 1.0, -1.0) * margin * 1.5, x)
    return x


def positive(*shape, dtype=f64):
    return torch.rand(*shape, dtype=dtype) * 2 + 0.2


cases = []


def add(*a, **k):
    cases.append(op_case(*a, **k))


# --- add, sub, mul, div: same shape and two broadcasting patterns -----------------------------------
binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
for op, fn in binary.items():
    den = (lambda *s: off_zero(rn(*s), 0.5)) if op == "div" else rn  # keep 1/b tame
    add(f"{op}_same_3x4", op, fn, [rn(3, 4), den(3, 4)])
    add(f"{op}_broadcast_3x1_4", op, fn, [rn(3, 1), den(4)])
    add(f"{op}_broadcast_2x3x4_3x1", op, fn, [rn(2, 3, 4), den(3, 1)])
add("add_broadcast_scalar_tensor_3x4_1", "add", torch.add, [rn(3, 4), rn(1)])
add("neg_3x4", "neg", torch.neg, [rn(3, 4)])

# --- pow: tensor ** scalar (args.p), tensor ** tensor on positive bases ------------------------------
add("pow_scalar_p2", "pow", lambda x: x ** 2, [rn(3, 4)], {"p": 2.0})
add("pow_scalar_p3", "pow", lambda x: x ** 3, [rn(3, 4)], {"p": 3.0})
add("pow_scalar_p0.5_positive", "pow", lambda x: x ** 0.5, [positive(3, 4)], {"p": 0.5})
add("pow_scalar_p-1.5_positive", "pow", lambda x: x ** -1.5, [positive(3, 4)], {"p": -1.5})
add("pow_tensor_positive_base_3x4", "pow", torch.pow, [positive(3, 4), rn(3, 4)])
add("pow_tensor_broadcast_3x1_4", "pow", torch.pow, [positive(3, 1), rn(4)])

# --- unary math ---------------------------------------------------------------------------------
add("exp_3x4", "exp", torch.exp, [rn(3, 4)])
add("log_positive_3x4", "log", torch.log, [positive(3, 4)])
add("sqrt_positive_3x4", "sqrt", torch.sqrt, [positive(3, 4)])
add("abs_3x4", "abs", torch.abs, [off_zero(rn(3, 4))])

# --- clamp (args.min / args.max, null = unbounded on that side) ---------------------------------------
for lo, hi, nm in [(-0.5, 0.7, "both"), (-0.3, None, "min_only"), (None, 0.4, "max_only")]:
    x = off_bounds(rn(4, 5), lo, hi)
    add(f"clamp_{nm}_4x5", "clamp", lambda t, lo=lo, hi=hi: torch.clamp(t, min=lo, max=hi), [x],
        {"min": lo, "max": hi})

# --- matmul -------------------------------------------------------------------------------------
add("matmul_2d_3x4_4x5", "matmul", torch.matmul, [rn(3, 4), rn(4, 5)])
add("matmul_1d_2d_4_4x5", "matmul", torch.matmul, [rn(4), rn(4, 5)])
add("matmul_2d_1d_3x4_4", "matmul", torch.matmul, [rn(3, 4), rn(4)])
add("matmul_1d_1d_4_4", "matmul", torch.matmul, [rn(4), rn(4)])
add("matmul_batched_2x3x4_4x5", "matmul", torch.matmul, [rn(2, 3, 4), rn(4, 5)])
add("matmul_batched_2x3x4_2x4x5", "matmul", torch.matmul, [rn(2, 3, 4), rn(2, 4, 5)])
add("matmul_broadcast_batch_2x1x3x4_3x4x2", "matmul", torch.matmul, [rn(2, 1, 3, 4), rn(3, 4, 2)])

# --- reductions: args.dim is an int, a list of ints, or null (all axes); args.keepdim ----------------
# max/min are torch.amax/amin (values only). Their gradient is split evenly among tied maxima;
# torch.max(x, dim) (values, indices) would instead send it all to the one index it returns.
red = {
    "sum": lambda x, d, k: x.sum(dim=d, keepdim=k),
    "mean": lambda x, d, k: x.mean(dim=d, keepdim=k),
    "max": lambda x, d, k: x.amax(dim=d, keepdim=k),
    "min": lambda x, d, k: x.amin(dim=d, keepdim=k),
}
for op, fn in red.items():
    for dim, dn in [(1, "dim1"), (-1, "dim-1"), ([0, 2], "dims0_2"), (None, "all")]:
        for keep in (False, True):
            d = tuple(range(3)) if dim is None else (tuple(dim) if isinstance(dim, list) else dim)
            add(f"{op}_{dn}_keepdim_{str(keep).lower()}_2x3x4", op,
                lambda x, d=d, k=keep, fn=fn: fn(x, d, k), [rn(2, 3, 4)], {"dim": dim, "keepdim": keep})

# Ties: the gradient of each reduced slot is divided evenly among the entries equal to its max/min.
ties = torch.tensor([[1.0, 3.0, 3.0, -2.0], [0.5, 0.5, 0.5, 0.5], [2.0, -1.0, 2.0, 2.0]], dtype=f64)
add("max_ties_dim1_3x4", "max", lambda x: x.amax(dim=1), [ties], {"dim": 1, "keepdim": False})
add("max_ties_all_3x4", "max", lambda x: x.amax(dim=(0, 1)), [ties], {"dim": None, "keepdim": False})
add("min_ties_dim0_3x4", "min", lambda x: x.amin(dim=0), [ties], {"dim": 0, "keepdim": False})

# --- views: reshape, permute, slice (narrow with a step), cat ----------------------------------------
add("reshape_2x3x4_to_4x6", "reshape", lambda x: x.reshape(4, 6), [rn(2, 3, 4)], {"shape": [4, 6]})
add("reshape_2x3x4_to_-1x2", "reshape", lambda x: x.reshape(-1, 2), [rn(2, 3, 4)], {"shape": [-1, 2]})
add("reshape_2x3x4_to_24", "reshape", lambda x: x.reshape(24), [rn(2, 3, 4)], {"shape": [24]})
add("permute_2x3x4_201", "permute", lambda x: x.permute(2, 0, 1), [rn(2, 3, 4)], {"dims": [2, 0, 1]})
add("permute_3x5_10", "permute", lambda x: x.permute(1, 0), [rn(3, 5)], {"dims": [1, 0]})
# slice: x[start:end:step] along args.dim (Python slice semantics, end exclusive).
for shape, dim, start, end, step in [([2, 3, 8], 2, 1, 7, 2), ([5, 4], 0, 0, 5, 2), ([4, 6], 1, 2, 5, 1),
                                     ([6, 3], 0, 1, 6, 3)]:
    def sl(x, dim=dim, start=start, end=end, step=step):
        idx = [slice(None)] * x.dim()
        idx[dim] = slice(start, end, step)
        return x[tuple(idx)]
    add(f"slice_{'x'.join(map(str, shape))}_dim{dim}_{start}_{end}_{step}", "slice", sl, [rn(*shape)],
        {"dim": dim, "start": start, "end": end, "step": step})
add("cat_dim0_2x3_4x3", "cat", lambda a, b: torch.cat([a, b], 0), [rn(2, 3), rn(4, 3)], {"dim": 0})
add("cat_dim1_2x3_2x1_2x2", "cat", lambda a, b, c: torch.cat([a, b, c], 1), [rn(2, 3), rn(2, 1), rn(2, 2)],
    {"dim": 1})
add("cat_dim-1_2x3x2_2x3x3", "cat", lambda a, b: torch.cat([a, b], -1), [rn(2, 3, 2), rn(2, 3, 3)], {"dim": -1})

# --- activations -----------------------------------------------------------------------------------
# step = torch.heaviside(x, 1.0): 1 for x >= 0, else 0. Its derivative is 0 wherever it exists
# (torch has no autograd formula for heaviside), so the stored grads are zeros.
step = lambda x: torch.heaviside(x, torch.tensor(1.0, dtype=x.dtype))
add("step_3x4", "step", step, [off_zero(rn(3, 4))], {"values": 1.0}, zero_grads=True)
add("step_with_zeros_5", "step", step, [torch.tensor([-1.5, 0.0, 2.0, 0.0, -0.25], dtype=f64)],
    {"values": 1.0}, zero_grads=True)
add("sign_3x4", "sign", torch.sign, [off_zero(rn(3, 4))])
add("sign_with_zeros_5", "sign", torch.sign, [torch.tensor([-1.5, 0.0, 2.0, 0.0, -0.25], dtype=f64)])
add("sigmoid_3x4", "sigmoid", torch.sigmoid, [rn(3, 4) * 2])
add("tanh_3x4", "tanh", torch.tanh, [rn(3, 4) * 2])
add("relu_3x4", "relu", torch.relu, [off_zero(rn(3, 4))])
for slope in (0.01, 0.2):
    add(f"leaky_relu_slope{slope}_3x4", "leaky_relu", lambda x, s=slope: F.leaky_relu(x, s),
        [off_zero(rn(3, 4))], {"slope": slope})
for op, fn in {"softmax": F.softmax, "log_softmax": F.log_softmax}.items():
    for dim in (0, 1, -1):
        add(f"{op}_dim{dim}_2x3x4", op, lambda x, d=dim, fn=fn: fn(x, dim=d), [rn(2, 3, 4)], {"dim": dim})
    add(f"{op}_dim-1_3x5", op, lambda x, fn=fn: fn(x, dim=-1), [rn(3, 5)], {"dim": -1})
    # Logits in the hundreds: exp overflows unless the max is subtracted first.
    add(f"{op}_large_logits_dim1_2x4", op, lambda x, fn=fn: fn(x, dim=1),
        [torch.tensor([[1000.0, 1001.0, 999.0, 1000.5], [-800.0, -790.0, -805.0, -795.0]], dtype=f64)], {"dim": 1})

# --- losses: inputs[0] is the prediction, inputs[1] the target (takes no grad, grads[1] = null) ----
for red_ in ("mean", "sum", "none"):
    add(f"mse_loss_{red_}_3x4", "mse_loss", lambda a, b, r=red_: F.mse_loss(a, b, reduction=r),
        [rn(3, 4), rn(3, 4)], {"reduction": red_}, grad_mask=[True, False])
    p = torch.sigmoid(rn(3, 4) * 1.5)  # in (0, 1)
    add(f"bce_loss_{red_}_soft_targets_3x4", "bce_loss",
        lambda a, b, r=red_: F.binary_cross_entropy(a, b, reduction=r),
        [p, torch.rand(3, 4, dtype=f64)], {"reduction": red_}, grad_mask=[True, False])
    add(f"bce_with_logits_loss_{red_}_3x4", "bce_with_logits_loss",
        lambda a, b, r=red_: F.binary_cross_entropy_with_logits(a, b, reduction=r),
        [rn(3, 4) * 3, torch.rand(3, 4, dtype=f64)], {"reduction": red_}, grad_mask=[True, False])
    add(f"cross_entropy_{red_}_5x4", "cross_entropy", lambda a, t, r=red_: F.cross_entropy(a, t, reduction=r),
        [rn(5, 4) * 2, torch.randint(0, 4, (5,))], {"reduction": red_})
    add(f"nll_loss_{red_}_5x4", "nll_loss", lambda a, t, r=red_: F.nll_loss(a, t, reduction=r),
        [F.log_softmax(rn(5, 4), dim=1), torch.randint(0, 4, (5,))], {"reduction": red_})
add("bce_loss_mean_hard_targets_3x4", "bce_loss", lambda a, b: F.binary_cross_entropy(a, b),
    [torch.sigmoid(rn(3, 4)), torch.randint(0, 2, (3, 4)).double()], {"reduction": "mean"},
    grad_mask=[True, False])
add("bce_with_logits_loss_mean_large_logits_4", "bce_with_logits_loss",
    lambda a, b: F.binary_cross_entropy_with_logits(a, b),
    [torch.tensor([80.0, -80.0, 40.0, -60.0], dtype=f64), torch.tensor([0.0, 1.0, 1.0, 0.3], dtype=f64)],
    {"reduction": "mean"}, grad_mask=[True, False])
add("cross_entropy_mean_large_logits_3x4", "cross_entropy", lambda a, t: F.cross_entropy(a, t),
    [torch.tensor([[1000.0, 1001.0, 999.0, 1000.5], [-800.0, -790.0, -805.0, -795.0], [0.0, 50.0, -50.0, 700.0]],
                  dtype=f64), torch.tensor([2, 1, 0])], {"reduction": "mean"})

# --- float32 copies of a few (tests compare at 1e-5) ------------------------------------------------
f32 = torch.float32
add("add_broadcast_2x3x4_3x1_f32", "add", torch.add, [rn(2, 3, 4, dtype=f32), rn(3, 1, dtype=f32)])
add("matmul_2d_3x4_4x5_f32", "matmul", torch.matmul, [rn(3, 4, dtype=f32), rn(4, 5, dtype=f32)])
add("matmul_broadcast_batch_2x1x3x4_3x4x2_f32", "matmul", torch.matmul,
    [rn(2, 1, 3, 4, dtype=f32), rn(3, 4, 2, dtype=f32)])
add("softmax_dim-1_2x3x4_f32", "softmax", lambda x: F.softmax(x, dim=-1), [rn(2, 3, 4, dtype=f32)], {"dim": -1})
add("log_softmax_dim1_2x3x4_f32", "log_softmax", lambda x: F.log_softmax(x, dim=1), [rn(2, 3, 4, dtype=f32)],
    {"dim": 1})
add("cross_entropy_mean_5x4_f32", "cross_entropy", lambda a, t: F.cross_entropy(a, t),
    [rn(5, 4, dtype=f32) * 2, torch.randint(0, 4, (5,))], {"reduction": "mean"})
add("cross_entropy_none_5x4_f32", "cross_entropy", lambda a, t: F.cross_entropy(a, t, reduction="none"),
    [rn(5, 4, dtype=f32) * 2, torch.randint(0, 4, (5,))], {"reduction": "none"})

write("core_ops.json", "tools/golden/core_ops.py", cases)
