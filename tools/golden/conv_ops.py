#!/usr/bin/python3
"""Golden values for convolution and pooling (issue 4), and the assignment's worked CNN example.

Run: /usr/bin/python3 tools/golden/conv_ops.py   (writes tests/SharpGrad.Tests/Golden/conv_ops.json)
conv2d: inputs [x [N,C,H,W], weight [O,C/groups,kH,kW], bias [O]] (no bias when only two inputs);
args stride/padding/dilation are [h, w] pairs, groups an int. conv1d: the same with ints.
max_pool2d / avg_pool2d: args kernel/stride/padding as [h, w] pairs; avg_pool2d also count_include_pad.
"""
import torch
import torch.nn.functional as F

from golden_io import op_case, nested, write, rn, pair

torch.manual_seed(4)
f64, f32 = torch.float64, torch.float32


cases = []

# (name, x shape, weight shape, bias?, stride, padding, dilation, groups)
conv2d_specs = [
    ("valid", [2, 3, 5, 5], [4, 3, 3, 3], True, 1, 0, 1, 1),
    ("stride2", [2, 2, 7, 7], [3, 2, 3, 3], True, 2, 0, 1, 1),
    # 6 = 3 + 2*1 + 1: the last row/column reaches no window, so its input gradient is zero.
    ("stride2_leftover_6x6", [1, 2, 6, 6], [3, 2, 3, 3], True, 2, 0, 1, 1),
    ("padding1", [2, 2, 5, 5], [3, 2, 3, 3], True, 1, 1, 1, 1),
    ("dilation2", [2, 2, 7, 7], [3, 2, 3, 3], True, 1, 0, 2, 1),
    ("groups2", [2, 4, 5, 5], [6, 2, 3, 3], True, 1, 0, 1, 2),
    ("nonsquare_kernel_and_input", [2, 2, 5, 7], [3, 2, 2, 3], True, 1, 0, 1, 1),
    ("no_bias", [1, 2, 5, 5], [3, 2, 3, 3], False, 1, 0, 1, 1),
    ("combined_stride21_pad12_dil21_groups2", [2, 4, 7, 6], [4, 2, 3, 2], True, [2, 1], [1, 2], [2, 1], 2),
]


def conv2d_case(spec, dtype):
    name, xs, ws, has_b, s, p, d, g = spec
    args = {"stride": pair(s), "padding": pair(p), "dilation": pair(d), "groups": g}
    ins = [rn(*xs, dtype=dtype), rn(*ws, dtype=dtype)] + ([rn(ws[0], dtype=dtype)] if has_b else [])
    fn = lambda x, w, b=None: F.conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g)
    suffix = "" if dtype == f64 else "_f32"
    return op_case(f"conv2d_{name}{suffix}", "conv2d", fn, ins, args)


for dtype in (f64, f32):
    for spec in conv2d_specs:
        cases.append(conv2d_case(spec, dtype))

# conv1d: x [N,C,L], weight [O,C/groups,k], bias [O]; args are ints.
for name, xs, ws, s, p, d, g in [
    ("valid", [2, 3, 8], [4, 3, 3], 1, 0, 1, 1),
    ("stride2_pad1_dil2", [2, 3, 9], [4, 3, 3], 2, 1, 2, 1),
    ("groups3", [2, 3, 7], [6, 1, 2], 1, 0, 1, 3),
]:
    fn = lambda x, w, b, s=s, p=p, d=d, g=g: F.conv1d(x, w, b, stride=s, padding=p, dilation=d, groups=g)
    cases.append(op_case(f"conv1d_{name}", "conv1d", fn, [rn(*xs), rn(*ws), rn(ws[0])],
                         {"stride": s, "padding": p, "dilation": d, "groups": g}))

# Pools. Random continuous inputs: no two entries of a window tie. With kernel 3 stride 1 an input
# can be the max of several windows: it then receives the sum of their gradients.
pool_specs = [
    ("k2_s2", [2, 2, 6, 6], 2, 2, 0),
    ("k2_s2_odd_5x5", [1, 2, 5, 5], 2, 2, 0),
    ("k3_s1_overlapping", [2, 2, 5, 5], 3, 1, 0),
    ("k3_s2_pad1", [2, 2, 6, 6], 3, 2, 1),
    ("k2x3_s1x2_nonsquare", [1, 2, 5, 7], [2, 3], [1, 2], 0),
]
for dtype in (f64, f32):
    suffix = "" if dtype == f64 else "_f32"
    for name, xs, k, s, p in pool_specs:
        args = {"kernel": pair(k), "stride": pair(s), "padding": pair(p)}
        fn = lambda x, k=k, s=s, p=p: F.max_pool2d(x, k, stride=s, padding=p)
        cases.append(op_case(f"max_pool2d_{name}{suffix}", "max_pool2d", fn, [rn(*xs, dtype=dtype)], args))
    if dtype == f32:
        continue  # float32 copies of max_pool only, as the fixtures plan asks
    for name, xs, k, s, p in pool_specs:
        for cip in ([True, False] if p else [True]):
            args = {"kernel": pair(k), "stride": pair(s), "padding": pair(p), "count_include_pad": cip}
            fn = lambda x, k=k, s=s, p=p, c=cip: F.avg_pool2d(x, k, stride=s, padding=p, count_include_pad=c)
            tag = "" if not p else ("_count_include_pad" if cip else "_exclude_pad")
            cases.append(op_case(f"avg_pool2d_{name}{tag}", "avg_pool2d", fn, [rn(*xs)], args))

# --- The assignment's worked example ("Back propagation in CNN - an example") -------------------------
# O = X ⋆ F (valid), M = max_pool2d(O, kernel 2, stride 1), L = mean((M - I3)^2), F_new = F - 0.01 dL/dF.
# The assignment prints (rounded to 2 decimals, and computed from rounded intermediates):
#   O     = [[9, 39, -35, -47], [16, 46, -16, -23], [29, 71, -29, -48], [40, 88, -66, -93]]
#   M     = [[46, 46, -16], [71, 71, -16], [88, 88, -29]]
#   dL/dM = 2/9 [[45, 46, -16], [71, 70, -16], [88, 88, -30]]
#         = [[10, 10.22, -3.56], [15.78, 15.56, -3.56], [19.56, 19.56, -6.67]]
#   dL/dO = [[0, 0, 0, 0], [0, 20.22, -7.12, 0], [0, 31.34, -6.67, 0], [0, 39.12, 0, 0]]
#   dL/dF = [[835.02, -156.48, -476.64], [952.38, -254.26, -743.72], [1078.21, -327.73, -1123.1]]
#   F_new = [[-7.35, 1.56, 3.77], [-7.52, 2.54, 5.44], [-9.78, 3.28, 10.23]]
# PyTorch (float64) differs: O[0][3] = -44 (the printout's -47 is an arithmetic slip; M is unaffected);
# dL/dO sums the unrounded 2/9 multiples: -7.111, 31.333, 39.111 (printed -7.12, 31.34, 39.12);
# every dL/dF entry (the printout used the rounded dL/dO): 834.889, -156.444, -476.444, 952.222,
# -254.222, -743.556, 1078.0, -327.778, -1122.889; and F_new[0][2] = 3.764 (printed 3.77).
X = torch.tensor([[1, 7, -1, -7, 10, 11], [2, 8, 0, 0, 12, 13], [3, 9, 0, 0, 0, 0],
                  [4, 10, -4, -10, 0, 0], [5, 11, -5, -11, 16, 17], [6, 12, -6, -12, 14, 15]], dtype=f64)
Fk = torch.tensor([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=f64, requires_grad=True)
I3 = torch.eye(3, dtype=f64)
eta = 0.01
O = F.conv2d(X[None, None], Fk[None, None])[0, 0]
M = F.max_pool2d(O[None, None], 2, stride=1)[0, 0]
L = ((M - I3) ** 2).mean()
dLdM, dLdO, dLdF = torch.autograd.grad(L, [M, O, Fk])
printed = {
    "O": [[9, 39, -35, -47], [16, 46, -16, -23], [29, 71, -29, -48], [40, 88, -66, -93]],
    "M": [[46, 46, -16], [71, 71, -16], [88, 88, -29]],
    "dLdM": [[10, 10.22, -3.56], [15.78, 15.56, -3.56], [19.56, 19.56, -6.67]],
    "dLdO": [[0, 0, 0, 0], [0, 20.22, -7.12, 0], [0, 31.34, -6.67, 0], [0, 39.12, 0, 0]],
    "dLdF": [[835.02, -156.48, -476.64], [952.38, -254.26, -743.72], [1078.21, -327.73, -1123.1]],
    "F_new": [[-7.35, 1.56, 3.77], [-7.52, 2.54, 5.44], [-9.78, 3.28, 10.23]],
}
cases.append({
    "name": "assignment_worked_example",
    "op": "assignment_worked_example",
    "dtype": "float64",
    "args": {"conv": "valid", "pool_kernel": [2, 2], "pool_stride": [1, 1], "loss": "mean((M - I3)**2)",
             "eta": eta},
    "X": nested(X), "F": nested(Fk), "I3": nested(I3),
    "O": nested(O), "M": nested(M), "L": L.item(),
    "dLdM": nested(dLdM), "dLdO": nested(dLdO), "dLdF": nested(dLdF),
    "F_new": nested(Fk - eta * dLdF),
    # The assignment's own printout, 2 decimals; see the comment above for where it differs.
    "assignment_printed": printed,
})

write("conv_ops.json", "tools/golden/conv_ops.py", cases)
