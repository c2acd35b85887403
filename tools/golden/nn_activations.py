#!/usr/bin/python3
"""Golden values for issue 17's activations (item 5) and losses (item 8).

Run: /usr/bin/python3 tools/golden/nn_activations.py   (writes tests/SharpGrad.Tests/Golden/nn_activations.json)
Each case: output = op(*inputs, **args); grads[i] = d(sum(output * grad_output)) / d inputs[i].
Cases named "_kinks" put inputs exactly on the kinks (0, ±3, the clamp bounds, the threshold), so the
gradients there are PyTorch's choice; the others sit at least 0.1 away from every kink.
"""
import torch
import torch.nn.functional as F

from golden_io import op_case, write

torch.manual_seed(17)
f64 = torch.float64


def rn(*shape, scale=2.0):
    return torch.randn(*shape, dtype=f64) * scale


def off(x, kinks, margin=0.1):
    """Move values within margin of any kink to margin past it."""
    for k in kinks:
        near = (x - k).abs() < margin
        x = torch.where(near, k + torch.where(x >= k, 1.0, -1.0) * margin * 1.5, x)
    return x


cases = []


def add(*a, **k):
    cases.append(op_case(*a, **k))


def kinked(values, rows=2):
    """Kink values followed by random ones, shaped [rows, -1]."""
    v = torch.tensor(values, dtype=f64)
    pad = (-len(values)) % rows
    return torch.cat([v, rn(pad)]).reshape(rows, -1)


# --- pointwise activations: (op, fn, args, kinks) -----------------------------------------------
unary = [
    ("elu", lambda x: F.elu(x), {"alpha": 1.0}, [0.0]),
    ("elu", lambda x: F.elu(x, alpha=0.5), {"alpha": 0.5}, [0.0]),
    ("selu", F.selu, {}, [0.0]),
    ("celu", lambda x: F.celu(x), {"alpha": 1.0}, [0.0]),
    ("celu", lambda x: F.celu(x, alpha=2.0), {"alpha": 2.0}, [0.0]),
    ("gelu", lambda x: F.gelu(x), {"approximate": "none"}, []),
    ("gelu", lambda x: F.gelu(x, approximate="tanh"), {"approximate": "tanh"}, []),
    ("silu", F.silu, {}, []),
    ("mish", F.mish, {}, []),
    ("softplus", lambda x: F.softplus(x), {"beta": 1.0, "threshold": 20.0}, []),
    ("softplus", lambda x: F.softplus(x, beta=2.0, threshold=3.0), {"beta": 2.0, "threshold": 3.0}, [1.5]),
    ("softsign", F.softsign, {}, [0.0]),
    ("hardtanh", lambda x: F.hardtanh(x), {"min_val": -1.0, "max_val": 1.0}, [-1.0, 1.0]),
    ("hardtanh", lambda x: F.hardtanh(x, -0.5, 2.0), {"min_val": -0.5, "max_val": 2.0}, [-0.5, 2.0]),
    ("hardsigmoid", F.hardsigmoid, {}, [-3.0, 3.0]),
    ("hardswish", F.hardswish, {}, [-3.0, 3.0]),
    ("relu6", F.relu6, {}, [0.0, 6.0]),
    ("threshold", lambda x: F.threshold(x, 0.5, -2.0), {"threshold": 0.5, "value": -2.0}, [0.5]),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.1), {"slope": 0.1}, [0.0]),
]
seen = {}
for op, fn, args, kinks in unary:
    tag = op + "".join(f"_{k}{v}" for k, v in args.items())
    x = off(rn(3, 5, scale=3.0 if op in ("hardsigmoid", "hardswish", "relu6") else 2.0), kinks)
    add(f"{tag}_3x5", op, fn, [x], args)
    add(f"{tag}_3x5_f32", op, fn, [x.float()], args)
    if kinks:
        add(f"{tag}_kinks", op, fn, [kinked(kinks + [k + 0.0 for k in kinks])], args)
# softplus beyond the threshold (the linear branch) and large |x| for the saturating ones
add("softplus_beta1.0_threshold20.0_large", "softplus", F.softplus, [torch.tensor([-40.0, -25.0, 19.0, 21.0, 50.0], dtype=f64)],
    {"beta": 1.0, "threshold": 20.0})
add("gelu_approximatenone_large", "gelu", F.gelu, [torch.tensor([-9.0, -6.0, -4.5, 4.5, 6.0, 9.0], dtype=f64)],
    {"approximate": "none"})
add("silu_large", "silu", F.silu, [torch.tensor([-40.0, -12.0, 12.0, 40.0], dtype=f64)], {})

# --- PReLU: one weight, and one per channel (dim 1) -----------------------------------------------
add("prelu_single_2x3x4", "prelu", F.prelu, [off(rn(2, 3, 4), [0.0]), torch.tensor([0.25], dtype=f64)])
add("prelu_channels_2x3x4", "prelu", F.prelu, [off(rn(2, 3, 4), [0.0]), torch.tensor([0.1, -0.2, 0.3], dtype=f64)])
add("prelu_channels_4x3", "prelu", F.prelu, [off(rn(4, 3), [0.0]), torch.tensor([0.1, -0.2, 0.3], dtype=f64)])
add("prelu_kinks", "prelu", F.prelu, [torch.tensor([[0.0, 0.0, -1.0], [1.0, 0.0, 2.0]], dtype=f64), torch.tensor([0.25, 0.5, 0.75], dtype=f64)])

# --- GLU, softmin, log_softmax ------------------------------------------------------------------
add("glu_dim-1_3x4", "glu", lambda x: F.glu(x, -1), [rn(3, 4)], {"dim": -1})
add("glu_dim0_4x3", "glu", lambda x: F.glu(x, 0), [rn(4, 3)], {"dim": 0})
add("glu_dim1_2x6x2_f32", "glu", lambda x: F.glu(x, 1), [rn(2, 6, 2).float()], {"dim": 1})
add("softmin_dim1_3x4", "softmin", lambda x: F.softmin(x, 1), [rn(3, 4)], {"dim": 1})
add("softmin_dim0_3x4", "softmin", lambda x: F.softmin(x, 0), [rn(3, 4)], {"dim": 0})

LOSS = {"grad_mask": [True, False]}  # targets take no gradient here
import warnings
warnings.filterwarnings("ignore", message="reduction: 'mean' divides")
# --- losses -------------------------------------------------------------------------------------
REDS = ["none", "mean", "sum"]
N, C = 5, 4
logits = rn(N, C)
logp = F.log_softmax(logits, 1).detach()
tgt = torch.tensor([1, 0, 3, 3, 2])
tgt_ign = torch.tensor([1, -100, 3, 2, -100])
cw = torch.tensor([0.5, 2.0, 1.0, 1.5], dtype=f64)
for r in REDS:
    add(f"nll_loss_weight_{r}", "nll_loss", lambda a, t, r=r: F.nll_loss(a, t, weight=cw, reduction=r),
        [logp, tgt], {"reduction": r, "weight": cw.tolist()}, **LOSS)
    add(f"nll_loss_ignore_index_{r}", "nll_loss", lambda a, t, r=r: F.nll_loss(a, t, weight=cw, ignore_index=-100, reduction=r),
        [logp, tgt_ign], {"reduction": r, "weight": cw.tolist(), "ignore_index": -100}, **LOSS)
    add(f"nll_loss_ignore2_{r}", "nll_loss", lambda a, t, r=r: F.nll_loss(a, t, ignore_index=2, reduction=r),
        [logp, tgt], {"reduction": r, "ignore_index": 2}, **LOSS)
    add(f"cross_entropy_smoothing_{r}", "cross_entropy",
        lambda a, t, r=r: F.cross_entropy(a, t, label_smoothing=0.1, reduction=r), [logits, tgt],
        {"reduction": r, "label_smoothing": 0.1}, **LOSS)
    add(f"cross_entropy_weight_smoothing_ignore_{r}", "cross_entropy",
        lambda a, t, r=r: F.cross_entropy(a, t, weight=cw, ignore_index=-100, label_smoothing=0.2, reduction=r),
        [logits, tgt_ign], {"reduction": r, "weight": cw.tolist(), "ignore_index": -100, "label_smoothing": 0.2}, **LOSS)
    add(f"cross_entropy_weight_{r}", "cross_entropy", lambda a, t, r=r: F.cross_entropy(a, t, weight=cw, reduction=r),
        [logits, tgt], {"reduction": r, "weight": cw.tolist()}, **LOSS)
    p = torch.rand(3, 4, dtype=f64) * 0.9 + 0.05
    y = torch.rand(3, 4, dtype=f64)
    w = torch.rand(4, dtype=f64) + 0.5
    add(f"bce_loss_weight_{r}", "bce_loss", lambda a, b, r=r, w=w: F.binary_cross_entropy(a, b, weight=w, reduction=r),
        [p, y], {"reduction": r, "weight": w.tolist()}, grad_mask=[True, False])
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0], dtype=f64)
    add(f"bce_with_logits_loss_weight_pos_weight_{r}", "bce_with_logits_loss",
        lambda a, b, r=r, w=w: F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw, reduction=r),
        [rn(3, 4), y], {"reduction": r, "weight": w.tolist(), "pos_weight": pw.tolist()}, grad_mask=[True, False])
    add(f"l1_loss_{r}", "l1_loss", lambda a, b, r=r: F.l1_loss(a, b, reduction=r), [rn(3, 4), rn(3, 4)], {"reduction": r}, **LOSS)
    d = rn(3, 4)
    yb = off(d.clone(), [])  # targets: inputs away from |x - y| = beta below
    xa = d + off(rn(3, 4), [0.0, 0.5, -0.5, 1.5, -1.5], 0.05)
    add(f"smooth_l1_loss_beta0.5_{r}", "smooth_l1_loss", lambda a, b, r=r: F.smooth_l1_loss(a, b, beta=0.5, reduction=r),
        [xa, yb], {"reduction": r, "beta": 0.5}, **LOSS)
    add(f"huber_loss_delta1.5_{r}", "huber_loss", lambda a, b, r=r: F.huber_loss(a, b, delta=1.5, reduction=r),
        [xa, yb], {"reduction": r, "delta": 1.5}, **LOSS)
for r in REDS + ["batchmean"]:
    inp = F.log_softmax(rn(3, 4), 1).detach()
    add(f"kl_div_{r}", "kl_div", lambda a, b, r=r: F.kl_div(a, b, reduction=r),
        [inp, F.softmax(rn(3, 4), 1).detach()], {"reduction": r, "log_target": False}, **LOSS)
    add(f"kl_div_log_target_{r}", "kl_div", lambda a, b, r=r: F.kl_div(a, b, reduction=r, log_target=True),
        [inp, F.log_softmax(rn(3, 4), 1).detach()], {"reduction": r, "log_target": True}, **LOSS)
# kinks of the piecewise losses: |x - y| = 0 and exactly beta / delta; a zero target in kl_div
add("l1_loss_kinks", "l1_loss", lambda a, b: F.l1_loss(a, b, reduction="sum"),
    [torch.tensor([0.0, 1.0, -2.0], dtype=f64), torch.tensor([0.0, 1.0, 1.0], dtype=f64)], {"reduction": "sum"}, **LOSS)
add("smooth_l1_loss_kinks", "smooth_l1_loss", lambda a, b: F.smooth_l1_loss(a, b, beta=0.5, reduction="sum"),
    [torch.tensor([0.0, 0.5, -0.5, 2.0], dtype=f64), torch.tensor([0.0, 0.0, 0.0, 0.0], dtype=f64)], {"reduction": "sum", "beta": 0.5}, **LOSS)
add("smooth_l1_loss_beta0_sum", "smooth_l1_loss", lambda a, b: F.smooth_l1_loss(a, b, beta=0.0, reduction="sum"),
    [torch.tensor([0.0, 0.5, -0.5, 2.0], dtype=f64), torch.tensor([0.0, 0.0, 0.0, 0.0], dtype=f64)], {"reduction": "sum", "beta": 0.0}, **LOSS)
add("huber_loss_kinks", "huber_loss", lambda a, b: F.huber_loss(a, b, delta=1.5, reduction="sum"),
    [torch.tensor([0.0, 1.5, -1.5, 3.0], dtype=f64), torch.tensor([0.0, 0.0, 0.0, 0.0], dtype=f64)], {"reduction": "sum", "delta": 1.5}, **LOSS)
add("kl_div_zero_target_sum", "kl_div", lambda a, b: F.kl_div(a, b, reduction="sum"),
    [torch.tensor([-1.0, -2.0, -0.5], dtype=f64), torch.tensor([0.0, 0.3, 0.7], dtype=f64)], {"reduction": "sum", "log_target": False}, **LOSS)

write("nn_activations.json", "tools/golden/nn_activations.py", cases)
