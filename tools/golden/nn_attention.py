#!/usr/bin/python3
"""Golden values for LayerNorm, MultiheadAttention and TransformerEncoderLayer (issue 17, branch nn-attention).

Run: /usr/bin/python3 tools/golden/nn_attention.py   (writes tests/SharpGrad.Tests/Golden/nn_attention.json)
Case fields (tensors are {shape, data}):
  layer_norm: op_case format (inputs x, weight, bias; grads = d sum(output*grad_output) / d inputs);
      args normalized_shape, eps, elementwise_affine (inputs are x only without it).
  multihead_attention: args embed_dim, num_heads, batch_first, self (query is key is value), need_weights,
      average_attn_weights, mask kinds; params: torch's state dict; query, key, value; key_padding_mask [N, S] and
      attn_mask [L, S] or [N*H, L, S] as 0/1 ("bool": 1 = not allowed) or additive floats (torch 1.13 takes
      a float key_padding_mask only without attn_mask); output, weights;
      grad_output; grads: d sum(output*grad_output) / d every parameter and query, key, value.
  transformer_encoder_layer: args d_model, nhead, dim_feedforward, activation, norm_first, batch_first;
      params, src, optional src_key_padding_mask (0/1 bool), output, grad_output, grads (parameters and src).
Modules run in training mode with dropout 0 and gradients on, so torch takes its reference (non-fast) path.
"""
import torch
import torch.nn as nn
import torch.nn.functional as Fn

from golden_io import op_case, tj, write

torch.manual_seed(17)
f64 = torch.float64
cases = []

# LayerNorm
for shape, norm, affine, eps, dtype in [
    ((3, 4, 5), [5], True, 1e-5, f64),
    ((2, 3, 4), [3, 4], True, 1e-5, f64),
    ((4, 6), [6], False, 1e-3, f64),
    ((6,), [6], True, 1e-5, f64),
    ((3, 4, 5), [5], True, 1e-5, torch.float32),
]:
    x = (torch.randn(*shape, dtype=f64) * 2 + 0.5).to(dtype)
    name = f"layer_norm_{'x'.join(map(str, shape))}_over_{'x'.join(map(str, norm))}" + ("" if affine else "_no_affine") + \
        ("" if dtype == f64 else "_f32")
    args = {"normalized_shape": norm, "eps": eps, "elementwise_affine": affine}
    if affine:
        w = (1 + 0.3 * torch.randn(*norm, dtype=f64)).to(dtype)
        b = (0.3 * torch.randn(*norm, dtype=f64)).to(dtype)
        cases.append(op_case(name, "layer_norm", lambda x, w, b: Fn.layer_norm(x, norm, w, b, eps), [x, w, b], args))
    else:
        cases.append(op_case(name, "layer_norm", lambda x: Fn.layer_norm(x, norm, None, None, eps), [x], args))

E, H, N, L, S = 6, 2, 2, 4, 5


def grads_of(module, out, extra):
    g = torch.randn(out.shape, dtype=out.dtype)
    names = [n for n, _ in module.named_parameters()]
    wrt = [p for _, p in module.named_parameters()] + [t for _, t in extra]
    gs = torch.autograd.grad(out, wrt, g)
    return g, {k: tj(v) for k, v in zip(names + [k for k, _ in extra], gs)}


def mha_case(name, batch_first, self_attn, kpm, am, need_weights, average, dtype=f64):
    m = nn.MultiheadAttention(E, H, batch_first=batch_first).to(dtype)
    with torch.no_grad():  # PyTorch zeroes both biases at init; random ones test them
        m.in_proj_bias.normal_(0, 0.2)
        m.out_proj.bias.normal_(0, 0.2)
    lq = S if self_attn else L
    qshape = (N, lq, E) if batch_first else (lq, N, E)
    kshape = (N, S, E) if batch_first else (S, N, E)
    q = torch.randn(*qshape, dtype=dtype, requires_grad=True)
    if self_attn:
        k = v = q
    else:
        k = torch.randn(*kshape, dtype=dtype, requires_grad=True)
        v = torch.randn(*kshape, dtype=dtype, requires_grad=True)
    rec = {"name": name, "op": "multihead_attention", "dtype": "float64" if dtype == f64 else "float32",
           "args": {"embed_dim": E, "num_heads": H, "batch_first": batch_first, "self": self_attn, "need_weights": need_weights,
                    "average_attn_weights": average, "key_padding_mask": kpm, "attn_mask": am}}
    rec["params"] = {k2: tj(p) for k2, p in m.state_dict().items()}
    kpm_t = am_t = None
    if kpm == "bool":
        kpm_t = torch.zeros(N, S, dtype=torch.bool)
        kpm_t[0, -2:] = True
        kpm_t[1, 1] = True
        rec["key_padding_mask"] = tj(kpm_t.to(dtype))
    elif kpm == "float":
        kpm_t = torch.randn(N, S, dtype=dtype)
        rec["key_padding_mask"] = tj(kpm_t)
    if am == "bool_causal":
        am_t = torch.triu(torch.ones(lq, S, dtype=torch.bool), diagonal=1 + S - lq)
        rec["attn_mask"] = tj(am_t.to(dtype))
    elif am == "float":
        am_t = torch.randn(lq, S, dtype=dtype)
        rec["attn_mask"] = tj(am_t)
    elif am == "bool_3d":
        am_t = torch.rand(N * H, lq, S) < 0.3
        am_t[:, :, 0] = False
        rec["attn_mask"] = tj(am_t.to(dtype))
    out, w = m(q, k, v, key_padding_mask=kpm_t, need_weights=need_weights, attn_mask=am_t, average_attn_weights=average)
    rec["query"] = tj(q)
    if not self_attn:
        rec["key"], rec["value"] = tj(k), tj(v)
    rec["output"] = tj(out)
    if need_weights:
        rec["weights"] = tj(w)
    extra = [("query", q)] + ([] if self_attn else [("key", k), ("value", v)])
    g, grads = grads_of(m, out, extra)
    rec["grad_output"] = tj(g)
    rec["grads"] = grads
    cases.append(rec)


for bf in (False, True):
    tag = "batch_first" if bf else "seq_first"
    mha_case(f"mha_cross_{tag}", bf, False, None, None, False, True)
    mha_case(f"mha_self_{tag}_weights", bf, True, None, None, True, True)
    mha_case(f"mha_cross_{tag}_masks_bool", bf, False, "bool", "bool_causal", True, False)
    mha_case(f"mha_self_{tag}_padding_float", bf, True, "float", None, False, True)
    mha_case(f"mha_self_{tag}_padding_bool_mask_float", bf, True, "bool", "float", True, True)
    mha_case(f"mha_cross_{tag}_mask_3d", bf, False, None, "bool_3d", True, True)
mha_case("mha_self_batch_first_masks_bool_f32", True, True, "bool", "bool_causal", False, True, torch.float32)


def encoder_case(name, activation, norm_first, batch_first, padding, dtype=f64):
    d, nh, ff, T = 4, 2, 8, 5
    m = nn.TransformerEncoderLayer(d, nh, ff, dropout=0.0, activation=activation, batch_first=batch_first,
                                   norm_first=norm_first).to(dtype)
    with torch.no_grad():
        for n, p in m.named_parameters():
            if "norm" in n or n.endswith("in_proj_bias") or n.endswith("out_proj.bias"):
                p.add_(0.2 * torch.randn(p.shape, dtype=dtype))
    src = torch.randn(*((N, T, d) if batch_first else (T, N, d)), dtype=dtype, requires_grad=True)
    rec = {"name": name, "op": "transformer_encoder_layer", "dtype": "float64" if dtype == f64 else "float32",
           "args": {"d_model": d, "nhead": nh, "dim_feedforward": ff, "activation": activation, "norm_first": norm_first,
                    "batch_first": batch_first}}
    rec["params"] = {k: tj(p) for k, p in m.state_dict().items()}
    kpm = None
    if padding:
        kpm = torch.zeros(N, T, dtype=torch.bool)
        kpm[1, -2:] = True
        rec["src_key_padding_mask"] = tj(kpm.to(dtype))
    out = m(src, src_key_padding_mask=kpm)
    rec["src"] = tj(src)
    rec["output"] = tj(out)
    g, grads = grads_of(m, out, [("src", src)])
    rec["grad_output"] = tj(g)
    rec["grads"] = grads
    cases.append(rec)


for nf in (False, True):
    for bf in (False, True):
        encoder_case(f"encoder_relu_norm_first_{str(nf).lower()}_batch_first_{str(bf).lower()}", "relu", nf, bf, bf)
    encoder_case(f"encoder_gelu_norm_first_{str(nf).lower()}", "gelu", nf, True, False)
encoder_case("encoder_relu_batch_first_padding_f32", "relu", False, True, True, torch.float32)

write("nn_attention.json", "tools/golden/nn_attention.py", cases)
