#!/usr/bin/python3
"""Golden values for the recurrent layers (issue 6): nn.LSTM, nn.RNN (tanh, relu), nn.GRU.

Run: /usr/bin/python3 tools/golden/rnn_ops.py   (writes tests/SharpGrad.Tests/Golden/rnn_ops.json)
input_size 4, hidden_size 5, num_layers 2, batch 3, length 7, bias on, given h0 (and c0 for the LSTM).
Case fields (tensors are {shape, data}):
    args: input_size, hidden_size, num_layers, batch_first, bias (and nonlinearity for RNN);
    params: every parameter by PyTorch's name (weight_ih_l0 [gates*H, in], weight_hh_l0, bias_ih_l0,
            bias_hh_l0, ..._l1); gates stacked as PyTorch stacks them: LSTM i,f,g,o; GRU r,z,n;
    input: [T,B,in] or [B,T,in] when batch_first; h0, c0: [layers, B, H] (never batch-first);
    output: [T,B,H] or [B,T,H]; h_n, c_n: [layers, B, H];
    grad_output, grad_h_n, grad_c_n: seeded upstream gradients, loss = sum(output*grad_output)
            + sum(h_n*grad_h_n) (+ sum(c_n*grad_c_n));
    grads: d loss / d every parameter (by name), "input", "h0", "c0".
The float32 cases use the float64 cases' values rounded to float32.
"""
import torch
import torch.nn as nn

from golden_io import tj, write

torch.manual_seed(6)
f64 = torch.float64
IN, H, LAYERS, B, T = 4, 5, 2, 3, 7

kinds = [
    ("lstm", lambda bf: nn.LSTM(IN, H, LAYERS, batch_first=bf), {}),
    ("rnn_tanh", lambda bf: nn.RNN(IN, H, LAYERS, nonlinearity="tanh", batch_first=bf), {"nonlinearity": "tanh"}),
    ("rnn_relu", lambda bf: nn.RNN(IN, H, LAYERS, nonlinearity="relu", batch_first=bf), {"nonlinearity": "relu"}),
    ("gru", lambda bf: nn.GRU(IN, H, LAYERS, batch_first=bf), {}),
]


def run(kind, module, x, h0, c0, g, gh, gc, dtype):
    module = module.to(dtype)
    x = x.to(dtype).clone().requires_grad_(True)
    h0 = h0.to(dtype).clone().requires_grad_(True)
    is_lstm = kind == "lstm"
    if is_lstm:
        c0 = c0.to(dtype).clone().requires_grad_(True)
        out, (hn, cn) = module(x, (h0, c0))
        loss = (out * g.to(dtype)).sum() + (hn * gh.to(dtype)).sum() + (cn * gc.to(dtype)).sum()
    else:
        out, hn = module(x, h0)
        loss = (out * g.to(dtype)).sum() + (hn * gh.to(dtype)).sum()
    names = [n for n, _ in module.named_parameters()]
    wrt = [p for _, p in module.named_parameters()] + [x, h0] + ([c0] if is_lstm else [])
    grads = torch.autograd.grad(loss, wrt)
    rec = {
        "params": {n: tj(p) for n, p in module.named_parameters()},
        "input": tj(x), "h0": tj(h0),
    }
    if is_lstm:
        rec["c0"] = tj(c0)
    rec["output"] = tj(out)
    rec["h_n"] = tj(hn)
    if is_lstm:
        rec["c_n"] = tj(cn)
    rec["grad_output"] = tj(g.to(dtype))
    rec["grad_h_n"] = tj(gh.to(dtype))
    if is_lstm:
        rec["grad_c_n"] = tj(gc.to(dtype))
    keys = names + ["input", "h0"] + (["c0"] if is_lstm else [])
    rec["grads"] = {k: tj(v) for k, v in zip(keys, grads)}
    return rec


cases = []
inputs = {}
for kind, make, extra in kinds:
    for bf in (False, True):
        module = make(bf).to(f64)  # PyTorch's default init U(-1/sqrt(H), 1/sqrt(H)), seeded
        xs = (B, T, IN) if bf else (T, B, IN)
        x = torch.randn(*xs, dtype=f64)
        h0 = torch.randn(LAYERS, B, H, dtype=f64) * 0.5
        c0 = torch.randn(LAYERS, B, H, dtype=f64) * 0.5
        g = torch.randn(*xs[:2], H, dtype=f64)
        gh = torch.randn(LAYERS, B, H, dtype=f64)
        gc = torch.randn(LAYERS, B, H, dtype=f64)
        loss = "sum(output*grad_output) + sum(h_n*grad_h_n)" + (" + sum(c_n*grad_c_n)" if kind == "lstm" else "")
        args = {"input_size": IN, "hidden_size": H, "num_layers": LAYERS, "batch_first": bf, "bias": True, **extra}
        for dtype, dname in ((f64, "float64"), (torch.float32, "float32")):
            m = make(bf)
            m.load_state_dict(module.state_dict())
            rec = run(kind, m, x, h0, c0, g, gh, gc, dtype)
            name = f"{kind}_batch_first_{str(bf).lower()}" + ("" if dtype == f64 else "_f32")
            cases.append({"name": name, "op": kind.split("_")[0], "dtype": dname, "args": args, "loss": loss, **rec})

write("rnn_ops.json", "tools/golden/rnn_ops.py", cases)
