#!/usr/bin/python3
"""Golden values for issue 17 items 1-2: transposed convolution (ConvTranspose1d/2d/3d), Conv3d, BatchNorm3d.

Run: /usr/bin/python3 tools/golden/nn_conv.py   (writes tests/SharpGrad.Tests/Golden/nn_conv.json,
nn_conv_transpose3d.json and nn_pool.json)
conv_transpose2d: inputs [x [N,C_in,H,W], weight [C_in,C_out/groups,kH,kW], bias [C_out]] (no bias when only two
inputs); args stride/padding/output_padding/dilation are [h, w] pairs, groups an int. conv_transpose1d: the same with
ints; conv_transpose3d (in nn_conv_transpose3d.json): the same with [d, h, w] triples. The *_module cases run
torch.nn.ConvTranspose{1,2,3}d through functional_call with the state dict {"weight", "bias"} = inputs[1:], so they
check PyTorch's state-dict names and layout.
conv3d: inputs [x [N,C,D,H,W], weight [O,C/groups,kD,kH,kW], bias [O]] (none when two inputs); args stride/padding/
dilation are [d, h, w] triples, groups an int. conv3d_module: torch.nn.Conv3d on its state dict, as above.
batch_norm3d_module: torch.nn.BatchNorm3d in training mode, inputs [x, weight, bias], args running_mean/running_var
(loaded before) and running_mean_after/running_var_after (after the step); batch_norm3d_eval: the same layer in eval.
nn_pool.json: max_pool{1,2,3}d, avg_pool{1,2,3}d with args kernel/stride/padding (ints or lists), ceil_mode and, for
averages, count_include_pad; adaptive_avg_pool{1,3}d and adaptive_max_pool2d with args output_size (and indices:
return_indices as flat in-plane positions). dilated cases add dilation. *_ties cases pool small integers, so windows
hold equal maxima: PyTorch sends the gradient to the first of them.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.stateless import functional_call

from golden_io import op_case, write, rn, pair

# One thread: torch's convolutions split their sums by thread count, which would change the last bits between runs.
torch.set_num_threads(1)
torch.manual_seed(17)
f64, f32 = torch.float64, torch.float32


cases = []

# (name, x shape, weight shape [C_in, C_out/g, kH, kW], bias?, stride, padding, output_padding, dilation, groups)
ct2d_specs = [
    ("plain", [2, 3, 4, 5], [3, 2, 3, 3], True, 1, 0, 0, 1, 1),
    ("stride2", [2, 2, 4, 4], [2, 3, 3, 3], True, 2, 0, 0, 1, 1),
    ("stride2_output_padding1", [1, 2, 3, 4], [2, 3, 3, 2], True, 2, 0, 1, 1, 1),
    ("padding1", [2, 2, 4, 5], [2, 3, 3, 3], True, 1, 1, 0, 1, 1),
    ("padding_past_kernel", [1, 2, 5, 5], [2, 2, 2, 2], True, 1, 1, 0, 1, 1),
    ("dilation2", [2, 2, 4, 4], [2, 3, 3, 2], True, 1, 0, 0, 2, 1),
    # output_padding 1 with stride 1 is allowed because it is below the dilation 2.
    ("output_padding_below_dilation", [1, 2, 4, 3], [2, 2, 2, 3], True, 1, 0, 1, 2, 1),
    ("groups2", [2, 4, 3, 4], [4, 3, 3, 3], True, 1, 0, 0, 1, 2),
    ("no_bias", [1, 2, 3, 3], [2, 3, 3, 3], False, 1, 0, 0, 1, 1),
    ("combined", [2, 4, 4, 3], [4, 2, 3, 2], True, [2, 3], [1, 2], [1, 2], [2, 1], 2),
]


def ct2d_case(spec, dtype):
    name, xs, ws, has_b, s, p, op, d, g = spec
    args = {"stride": pair(s), "padding": pair(p), "output_padding": pair(op), "dilation": pair(d), "groups": g}
    ins = [rn(*xs, dtype=dtype), rn(*ws, dtype=dtype)] + ([rn(ws[1] * g, dtype=dtype)] if has_b else [])
    fn = lambda x, w, b=None: F.conv_transpose2d(x, w, b, stride=s, padding=p, output_padding=op, groups=g, dilation=d)
    suffix = "" if dtype == f64 else "_f32"
    return op_case(f"conv_transpose2d_{name}{suffix}", "conv_transpose2d", fn, ins, args)


for spec in ct2d_specs:
    cases.append(ct2d_case(spec, f64))
for spec in ct2d_specs:
    if spec[0] in ("plain", "stride2_output_padding1", "combined"):
        cases.append(ct2d_case(spec, f32))

ct1d_specs = [
    ("plain", [2, 3, 5], [3, 2, 3], 1, 0, 0, 1, 1),
    ("stride3_pad1_op2", [2, 2, 4], [2, 3, 3], 3, 1, 2, 1, 1),
    ("dilation2_groups2", [2, 4, 5], [4, 1, 3], 1, 2, 1, 2, 2),
]
for name, xs, ws, s, p, op, d, g in ct1d_specs:
    fn = lambda x, w, b, s=s, p=p, op=op, d=d, g=g: F.conv_transpose1d(x, w, b, stride=s, padding=p, output_padding=op, groups=g, dilation=d)
    cases.append(op_case(f"conv_transpose1d_{name}", "conv_transpose1d", fn, [rn(*xs), rn(*ws), rn(ws[1] * g)],
                         {"stride": s, "padding": p, "output_padding": op, "dilation": d, "groups": g}))

# Modules: torch's own layer, run on its state dict {"weight", "bias"} (inputs 1 and 2).
m2 = nn.ConvTranspose2d(4, 6, (3, 2), stride=2, padding=1, output_padding=1, groups=2, dilation=1).double()
cases.append(op_case("conv_transpose2d_module", "conv_transpose2d_module",
                     lambda x, w, b: functional_call(m2, {"weight": w, "bias": b}, (x,)),
                     [rn(2, 4, 3, 4), m2.weight.detach().clone(), m2.bias.detach().clone()],
                     {"in_channels": 4, "out_channels": 6, "kernel": [3, 2], "stride": [2, 2], "padding": [1, 1],
                      "output_padding": [1, 1], "dilation": [1, 1], "groups": 2}))
m1 = nn.ConvTranspose1d(3, 4, 3, stride=2, padding=1, output_padding=1, groups=1, dilation=2).double()
cases.append(op_case("conv_transpose1d_module", "conv_transpose1d_module",
                     lambda x, w, b: functional_call(m1, {"weight": w, "bias": b}, (x,)),
                     [rn(2, 3, 5), m1.weight.detach().clone(), m1.bias.detach().clone()],
                     {"in_channels": 3, "out_channels": 4, "kernel": 3, "stride": 2, "padding": 1,
                      "output_padding": 1, "dilation": 2, "groups": 1}))

# Conv3d: (name, x shape, weight shape, bias?, stride, padding, dilation, groups)
for name, xs, ws, has_b, st, p, d, g in [
    ("plain", [1, 2, 3, 4, 3], [3, 2, 2, 3, 2], True, 1, 0, 1, 1),
    ("stride_pad_dil_mixed", [1, 2, 5, 4, 4], [2, 2, 3, 2, 2], True, [2, 1, 2], [1, 0, 2], [2, 1, 1], 1),
    ("groups2_no_bias", [1, 4, 3, 3, 4], [4, 2, 2, 2, 3], False, 1, [1, 1, 0], 1, 2),
]:
    trip = lambda v: [v] * 3 if isinstance(v, int) else list(v)
    fn = lambda x, w, b=None, st=st, p=p, d=d, g=g: F.conv3d(x, w, b, stride=st, padding=p, dilation=d, groups=g)
    ins = [rn(*xs), rn(*ws)] + ([rn(ws[0])] if has_b else [])
    cases.append(op_case(f"conv3d_{name}", "conv3d", fn, ins, {"stride": trip(st), "padding": trip(p), "dilation": trip(d), "groups": g}))
m3 = nn.Conv3d(2, 3, (2, 2, 3), stride=(1, 2, 1), padding=(1, 0, 1)).double()
cases.append(op_case("conv3d_module", "conv3d_module", lambda x, w, b: functional_call(m3, {"weight": w, "bias": b}, (x,)),
                     [rn(1, 2, 3, 3, 3), m3.weight.detach().clone(), m3.bias.detach().clone()],
                     {"in_channels": 2, "out_channels": 3, "kernel": [2, 2, 3], "stride": [1, 2, 1], "padding": [1, 0, 1],
                      "dilation": [1, 1, 1], "groups": 1}))

# BatchNorm3d: one training step on a state dict with non-trivial running statistics, then evaluation.
bn = nn.BatchNorm3d(3).double()
rm, rv = rn(3), torch.rand(3, dtype=f64) + 0.5
for mode in ("train", "eval"):
    bn.train(mode == "train")
    mean, var = rm.clone(), rv.clone()
    buffers = {"running_mean": mean, "running_var": var, "num_batches_tracked": torch.tensor(0)}
    w, b = rn(3), rn(3)
    case = op_case(f"batch_norm3d_{mode}", "batch_norm3d_module",
                   lambda x, w, b: functional_call(bn, {"weight": w, "bias": b, **buffers}, (x,)),
                   [rn(2, 3, 2, 3, 2), w, b],
                   {"running_mean": rm.tolist(), "running_var": rv.tolist(), "training": mode == "train"})
    case["args"]["running_mean_after"] = mean.tolist()
    case["args"]["running_var_after"] = var.tolist()
    cases.append(case)

write("nn_conv.json", "tools/golden/nn_conv.py", cases)

# ConvTranspose3d: (name, x shape, weight shape [C_in, C_out/g, kD, kH, kW], bias?, stride, padding, output_padding,
# dilation, groups); args as conv_transpose2d's with [d, h, w] triples. A file of their own (nn_conv.json is near its size budget).
torch.manual_seed(19)
ct3d = []
trip = lambda v: [v] * 3 if isinstance(v, int) else list(v)
for name, xs, ws, has_b, st, p, op, d, g in [
    ("plain", [2, 2, 3, 3, 2], [2, 3, 2, 2, 3], True, 1, 0, 0, 1, 1),
    ("stride2_output_padding1", [1, 2, 2, 3, 2], [2, 2, 3, 2, 2], True, 2, 0, 1, 1, 1),
    ("padding_dilation_mixed", [1, 2, 3, 4, 3], [2, 2, 3, 2, 2], True, [3, 1, 2], [2, 1, 0], [1, 0, 1], [2, 2, 1], 1),
    ("output_padding_below_dilation", [1, 2, 2, 2, 3], [2, 2, 2, 2, 2], True, 1, [0, 1, 0], [1, 0, 1], [2, 1, 2], 1),
    ("groups2_no_bias", [2, 4, 2, 3, 3], [4, 1, 2, 3, 2], False, [1, 2, 1], [1, 0, 1], [0, 1, 0], 1, 2),
    ("padding_past_output", [1, 1, 1, 2, 2], [1, 2, 1, 2, 2], True, [3, 1, 1], [1, 0, 0], [2, 0, 0], 1, 1),
]:
    fn = lambda x, w, b=None, st=st, p=p, op=op, d=d, g=g: F.conv_transpose3d(x, w, b, stride=st, padding=p, output_padding=op, groups=g, dilation=d)
    ins = [rn(*xs), rn(*ws)] + ([rn(ws[1] * g)] if has_b else [])
    ct3d.append(op_case(f"conv_transpose3d_{name}", "conv_transpose3d", fn, ins,
                         {"stride": trip(st), "padding": trip(p), "output_padding": trip(op), "dilation": trip(d), "groups": g}))
m3t = nn.ConvTranspose3d(4, 2, (2, 3, 2), stride=(2, 1, 2), padding=(1, 1, 0), output_padding=(1, 0, 1), groups=2).double()
ct3d.append(op_case("conv_transpose3d_module", "conv_transpose3d_module",
                     lambda x, w, b: functional_call(m3t, {"weight": w, "bias": b}, (x,)),
                     [rn(1, 4, 2, 3, 2), m3t.weight.detach().clone(), m3t.bias.detach().clone()],
                     {"in_channels": 4, "out_channels": 2, "kernel": [2, 3, 2], "stride": [2, 1, 2], "padding": [1, 1, 0],
                      "output_padding": [1, 0, 1], "dilation": [1, 1, 1], "groups": 2}))
write("nn_conv_transpose3d.json", "tools/golden/nn_conv.py", ct3d)


# Pools.
torch.manual_seed(18)
pools = []


def pool_case(name, op, fn, x, args):
    pools.append(op_case(name, op, fn, [x], args))


def ties(*shape):
    return torch.randint(0, 3, shape).double()


for name, x, k, st, p, ceil in [
    ("k3_s2_pad1_ceil", rn(2, 2, 8), 3, 2, 1, True),
    ("k2_s3_ceil_last_window_dropped", rn(1, 2, 7), 2, 3, 1, True),
    ("k3_s1_ties", ties(2, 2, 9), 3, 1, 1, False),
]:
    pool_case(f"max_pool1d_{name}", "max_pool1d", lambda x, k=k, st=st, p=p, c=ceil: F.max_pool1d(x, k, st, p, ceil_mode=c), x,
              {"kernel": k, "stride": st, "padding": p, "ceil_mode": ceil})
for name, x, k, st, p, ceil, cip in [
    ("k3_s2_pad1_ceil_count_pad", rn(2, 2, 8), 3, 2, 1, True, True),
    ("k3_s2_pad1_ceil_no_count_pad", rn(2, 2, 8), 3, 2, 1, True, False),
]:
    pool_case(f"avg_pool1d_{name}", "avg_pool1d", lambda x, k=k, st=st, p=p, c=ceil, i=cip: F.avg_pool1d(x, k, st, p, ceil_mode=c, count_include_pad=i), x,
              {"kernel": k, "stride": st, "padding": p, "ceil_mode": ceil, "count_include_pad": cip})
for name, x, k, st, p, ceil in [
    ("k3_s2_pad1_ceil", rn(1, 2, 6, 7), [3, 3], [2, 2], [1, 1], True),
    ("k2x3_s2_ceil_nonsquare", rn(2, 1, 5, 8), [2, 3], [2, 2], [0, 1], True),
    ("k2_s1_ties", ties(1, 2, 5, 5), [2, 2], [1, 1], [0, 0], False),
    ("k3_s2_ceil_ties", ties(1, 2, 6, 6), [3, 3], [2, 2], [1, 1], True),
]:
    pool_case(f"max_pool2d_{name}", "max_pool2d", lambda x, k=k, st=st, p=p, c=ceil: F.max_pool2d(x, k, st, p, ceil_mode=c), x,
              {"kernel": k, "stride": st, "padding": p, "ceil_mode": ceil})
for name, x, k, st, p, ceil, cip in [
    ("k3_s2_pad1_ceil_count_pad", rn(1, 2, 6, 7), [3, 3], [2, 2], [1, 1], True, True),
    ("k3_s2_pad1_ceil_no_count_pad", rn(1, 2, 6, 7), [3, 3], [2, 2], [1, 1], True, False),
    ("k2x3_s2x1_ceil", rn(2, 1, 5, 6), [2, 3], [2, 1], [1, 0], True, True),
]:
    pool_case(f"avg_pool2d_{name}", "avg_pool2d", lambda x, k=k, st=st, p=p, c=ceil, i=cip: F.avg_pool2d(x, k, st, p, ceil_mode=c, count_include_pad=i), x,
              {"kernel": k, "stride": st, "padding": p, "ceil_mode": ceil, "count_include_pad": cip})
for name, x, k, st, p, ceil in [
    ("k2_s2", rn(1, 2, 4, 4, 4), [2, 2, 2], [2, 2, 2], [0, 0, 0], False),
    ("k3x2x2_s2_pad1_ceil", rn(1, 2, 5, 4, 5), [3, 2, 2], [2, 2, 1], [1, 1, 0], True),
    ("k2_s1_ties", ties(1, 1, 3, 4, 4), [2, 2, 2], [1, 1, 1], [0, 0, 0], False),
]:
    pool_case(f"max_pool3d_{name}", "max_pool3d", lambda x, k=k, st=st, p=p, c=ceil: F.max_pool3d(x, k, st, p, ceil_mode=c), x,
              {"kernel": k, "stride": st, "padding": p, "ceil_mode": ceil})
for name, x, k, st, p, ceil, cip in [
    ("k3x2x2_s2_pad1_ceil_count_pad", rn(1, 2, 5, 4, 5), [3, 2, 2], [2, 2, 1], [1, 1, 0], True, True),
    ("k3x2x2_s2_pad1_ceil_no_count_pad", rn(1, 2, 5, 4, 5), [3, 2, 2], [2, 2, 1], [1, 1, 0], True, False),
]:
    pool_case(f"avg_pool3d_{name}", "avg_pool3d", lambda x, k=k, st=st, p=p, c=ceil, i=cip: F.avg_pool3d(x, k, st, p, ceil_mode=c, count_include_pad=i), x,
              {"kernel": k, "stride": st, "padding": p, "ceil_mode": ceil, "count_include_pad": cip})
pool_case("adaptive_avg_pool1d_7_to_3", "adaptive_avg_pool1d", lambda x: F.adaptive_avg_pool1d(x, 3), rn(2, 2, 7), {"output_size": [3]})
pool_case("adaptive_avg_pool3d_5x7x4_to_3x3x2", "adaptive_avg_pool3d", lambda x: F.adaptive_avg_pool3d(x, (3, 3, 2)), rn(1, 2, 5, 7, 4),
          {"output_size": [3, 3, 2]})
pool_case("adaptive_avg_pool3d_to_1", "adaptive_avg_pool3d", lambda x: F.adaptive_avg_pool3d(x, 1), rn(2, 2, 3, 2, 3), {"output_size": [1, 1, 1]})

# AdaptiveMaxPool2d: args output_size and indices (return_indices=True: flat y*W + x of each maximum in its plane).
for name, x, out in [("7x5_to_3x2", rn(2, 2, 7, 5), [3, 2]), ("6x6_to_4x4_ties", ties(1, 2, 6, 6), [4, 4])]:
    _, idx = F.adaptive_max_pool2d(x, out, return_indices=True)
    pool_case(f"adaptive_max_pool2d_{name}", "adaptive_max_pool2d", lambda x, out=out: F.adaptive_max_pool2d(x, out), x,
              {"output_size": out, "indices": idx.reshape(-1).tolist()})

# Dilated max pools (args as above plus dilation).
for op, fn, x, k, st, p, d, ceil in [
    ("max_pool1d", F.max_pool1d, rn(2, 2, 11), 3, 2, 1, 2, True),
    ("max_pool1d", F.max_pool1d, ties(1, 2, 10), 2, 1, 1, 3, False),
    ("max_pool2d", F.max_pool2d, rn(1, 2, 9, 8), [3, 2], [2, 1], [1, 1], [2, 3], True),
    ("max_pool3d", F.max_pool3d, rn(1, 1, 6, 5, 5), [2, 2, 2], [1, 2, 1], [1, 0, 1], [2, 1, 2], True),
]:
    tag = "ties" if x.eq(x.round()).all() else "randn"
    pools.append(op_case(f"{op}_dilated_{tag}_{'ceil' if ceil else 'floor'}", op,
                         lambda x, fn=fn, k=k, st=st, p=p, d=d, c=ceil: fn(x, k, st, p, dilation=d, ceil_mode=c), [x],
                         {"kernel": k, "stride": st, "padding": p, "dilation": d, "ceil_mode": ceil}))

write("nn_pool.json", "tools/golden/nn_conv.py", pools)
