#!/usr/bin/python3
"""Golden trajectories for the optimizers (issue 5): 20 steps of torch.optim on one fixed small problem.

Run: /usr/bin/python3 tools/golden/optim_ops.py   (writes tests/SharpGrad.Tests/Golden/optim_ops.json)
Parameters: w [3] and W [2,3]; constants A [4,3], y [4];
    loss = sum((A @ w - y)**2) + sum(tanh(W)**2) + 0.5 * sum((W @ w)**2)
Each step: zero_grad, loss.backward(), opt.step(). Case fields:
    optimizer: the torch.optim class; hyper: every hyperparameter torch used (its defaults included);
    params_order: the order the parameters were given to the optimizer;
    initial: {w, W}; constants: {A, y};
    trajectory: {w: [20,3], W: [20,2,3]}  row t = the parameters after step t+1;
    losses: [20]  loss evaluated before step t+1 (at the parameters the gradient was taken at).
"""
import torch

from golden_io import tj, write

torch.manual_seed(5)
f64 = torch.float64
LOSS = "sum((A @ w - y)**2) + sum(tanh(W)**2) + 0.5 * sum((W @ w)**2)"
STEPS = 20

A0 = torch.randn(4, 3, dtype=f64)
y0 = torch.randn(4, dtype=f64)
w0 = torch.randn(3, dtype=f64)
W0 = torch.randn(2, 3, dtype=f64)


def loss_fn(A, y, w, W):
    return ((A @ w - y) ** 2).sum() + (torch.tanh(W) ** 2).sum() + 0.5 * ((W @ w) ** 2).sum()


O = torch.optim
# (name, optimizer class, hyperparameters, note)
specs = [
    ("sgd", O.SGD, dict(lr=0.01), None),
    ("sgd_weight_decay0.1", O.SGD, dict(lr=0.01, weight_decay=0.1), None),
    ("sgd_momentum0.9_dampening0", O.SGD, dict(lr=0.01, momentum=0.9), None),
    ("sgd_momentum0.9_dampening0.9", O.SGD, dict(lr=0.01, momentum=0.9, dampening=0.9),
     "The assignment's v <- b v + (1-b) g with b = 0.9, except that torch starts the buffer at "
     "v_1 = g (no dampening on the first step), where the assignment's v_0 = 0 gives v_1 = (1-b) g."),
    ("sgd_momentum0.9_weight_decay0.01", O.SGD, dict(lr=0.01, momentum=0.9, weight_decay=0.01), None),
    ("sgd_nesterov_momentum0.9", O.SGD, dict(lr=0.01, momentum=0.9, nesterov=True),
     "torch's reparameterised form: v <- mu v + g; theta <- theta - lr (g + mu v)."),
    ("adagrad", O.Adagrad, dict(lr=0.1), None),
    ("adagrad_lr_decay0.01_weight_decay0.05", O.Adagrad, dict(lr=0.1, lr_decay=0.01, weight_decay=0.05), None),
    ("rmsprop", O.RMSprop, dict(lr=0.01), None),
    ("rmsprop_momentum0.9", O.RMSprop, dict(lr=0.01, momentum=0.9), None),
    ("rmsprop_centered", O.RMSprop, dict(lr=0.01, centered=True), None),
    ("rmsprop_centered_momentum0.9", O.RMSprop, dict(lr=0.01, centered=True, momentum=0.9), None),
    ("adam", O.Adam, dict(lr=0.05), None),
    ("adam_amsgrad_betas0.9_0.9", O.Adam, dict(lr=0.05, betas=(0.9, 0.9), amsgrad=True),
     "beta2 = 0.9 so that v falls as the gradient shrinks and the running max matters."),
    ("adam_betas0.9_0.9", O.Adam, dict(lr=0.05, betas=(0.9, 0.9)), "amsgrad=False twin of the case above."),
    ("adam_weight_decay0.1", O.Adam, dict(lr=0.05, weight_decay=0.1),
     "Adam's weight_decay is L2: g <- g + wd theta before the moments (unlike AdamW)."),
    ("adamw", O.AdamW, dict(lr=0.05, weight_decay=0.1),
     "Decoupled: theta <- theta (1 - lr wd), then the Adam step."),
]


def jsonable(v):
    if isinstance(v, tuple):
        return list(v)
    return v


cases = []
for dtype, dname in ((f64, "float64"), (torch.float32, "float32")):
    for name, cls, hyper, note in specs:
        A, y = A0.to(dtype), y0.to(dtype)
        w = w0.to(dtype).clone().requires_grad_(True)
        W = W0.to(dtype).clone().requires_grad_(True)
        opt = cls([w, W], foreach=False, **hyper)
        ws, Ws, losses = [], [], []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = loss_fn(A, y, w, W)
            loss.backward()
            opt.step()
            losses.append(loss.detach())
            ws.append(w.detach().clone())
            Ws.append(W.detach().clone())
        case = {
            "name": name + ("" if dtype == f64 else "_f32"),
            "op": cls.__name__.lower(),
            "dtype": dname,
            "optimizer": "torch.optim." + cls.__name__,
            "hyper": {k: jsonable(v) for k, v in opt.defaults.items()},
            "loss": LOSS,
            "steps": STEPS,
            "params_order": ["w", "W"],
            "constants": {"A": tj(A), "y": tj(y)},
            "initial": {"w": tj(w0.to(dtype)), "W": tj(W0.to(dtype))},
            "trajectory": {"w": tj(torch.stack(ws)), "W": tj(torch.stack(Ws))},
            "losses": tj(torch.stack(losses)),
        }
        if note:
            case["note"] = note
        cases.append(case)

write("optim_ops.json", "tools/golden/optim_ops.py", cases, {"loss": LOSS})
