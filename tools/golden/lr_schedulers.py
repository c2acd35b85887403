"""Golden learning-rate sequences of torch.optim.lr_scheduler (issue 19): StepLR, OneCycleLR, ReduceLROnPlateau.

Each case records the settings, the optimizer's starting lr and get_last_lr() (ReduceLROnPlateau: the group's lr)
after construction and after each of `steps` calls to step(). ReduceLROnPlateau cases also record the metric fed
to each step. OneCycleLR cases with cycle_momentum also record the group's momentum (SGD) or beta1 (Adam).
Run: /usr/bin/python3 tools/golden/lr_schedulers.py
"""
import torch
from torch.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau, StepLR

from golden_io import write


def optimizer(lr):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def trace(scheduler, opt, steps, metrics=None):
    lrs = [opt.param_groups[0]["lr"]]
    for t in range(steps):
        opt.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[t])
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


cases = []

for step_size, gamma, lr, steps in [(1, 0.5, 0.1, 6), (3, 0.1, 1.0, 10), (2, 0.7, 0.05, 9)]:
    opt = optimizer(lr)
    s = StepLR(opt, step_size=step_size, gamma=gamma)
    cases.append({"name": f"steplr_{step_size}_{gamma}", "op": "steplr", "lr": lr,
                  "args": {"step_size": step_size, "gamma": gamma}, "lrs": trace(s, opt, steps)})

for total, pct, anneal, div, final_div, max_lr in [
    (10, 0.3, "cos", 25.0, 1e4, 0.1),
    (10, 0.3, "linear", 25.0, 1e4, 0.1),
    (17, 0.25, "cos", 10.0, 100.0, 0.5),
    (7, 0.5, "linear", 5.0, 1e3, 2.0),
    (1000, 0.3, "cos", 25.0, 1e4, 0.01),
]:
    opt = optimizer(0.123)  # OneCycleLR overrides the optimizer's lr with max_lr / div_factor
    s = OneCycleLR(opt, max_lr=max_lr, total_steps=total, pct_start=pct, anneal_strategy=anneal,
                   div_factor=div, final_div_factor=final_div, cycle_momentum=False)
    lrs = trace(s, opt, total)  # torch allows step() up to total_steps times
    cases.append({"name": f"onecycle_{total}_{pct}_{anneal}_{div}_{final_div}", "op": "onecycle", "lr": 0.123,
                  "args": {"max_lr": max_lr, "total_steps": total, "pct_start": pct, "anneal_strategy": anneal,
                           "div_factor": div, "final_div_factor": final_div, "cycle_momentum": False}, "lrs": lrs})

for name, opt, key in [
    ("sgd", torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9), "momentum"),
    ("adam", torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1), "beta1"),
]:
    s = OneCycleLR(opt, max_lr=0.05, total_steps=12, pct_start=0.25, anneal_strategy="cos", base_momentum=0.8, max_momentum=0.9)
    lrs, momenta = [opt.param_groups[0]["lr"]], []
    read = (lambda g: g["momentum"]) if key == "momentum" else (lambda g: g["betas"][0])
    momenta.append(read(opt.param_groups[0]))
    for t in range(12):
        opt.step()
        s.step()
        lrs.append(opt.param_groups[0]["lr"])
        momenta.append(read(opt.param_groups[0]))
    cases.append({"name": f"onecycle_momentum_{name}", "op": "onecycle", "optimizer": name, "lr": 0.1,
                  "args": {"max_lr": 0.05, "total_steps": 12, "pct_start": 0.25, "anneal_strategy": "cos", "div_factor": 25.0,
                           "final_div_factor": 1e4, "cycle_momentum": True, "base_momentum": 0.8, "max_momentum": 0.9},
                  "lrs": lrs, "momenta": momenta})

torch.manual_seed(19)
loss_like = [1.0, 0.9, 0.95, 0.97, 0.96, 0.98, 0.8, 0.81, 0.8, 0.8, 0.79995, 0.82, 0.83, 0.84, 0.85, 0.86]
acc_like = [0.5, 0.6, 0.6, 0.59, 0.61, 0.6, 0.6, 0.7, 0.7, 0.7, 0.70001, 0.69, 0.68, 0.68, 0.68, 0.68]
for mode, th_mode, factor, patience, threshold, cooldown, min_lr, metrics in [
    ("min", "rel", 0.1, 2, 1e-4, 0, 0.0, loss_like),
    ("min", "abs", 0.5, 1, 0.01, 1, 0.0, loss_like),
    ("max", "rel", 0.5, 1, 1e-4, 0, 0.02, acc_like),
    ("max", "abs", 0.3, 0, 0.005, 2, 0.0, acc_like),
    ("min", "rel", 0.5, 0, 0.0, 0, 0.011, [float(v) for v in torch.rand(20).tolist()]),
]:
    opt = optimizer(0.1)
    s = ReduceLROnPlateau(opt, mode=mode, factor=factor, patience=patience, threshold=threshold,
                          threshold_mode=th_mode, cooldown=cooldown, min_lr=min_lr)
    cases.append({"name": f"plateau_{mode}_{th_mode}_{factor}_{patience}_{cooldown}_{min_lr}", "op": "plateau", "lr": 0.1,
                  "args": {"mode": mode, "threshold_mode": th_mode, "factor": factor, "patience": patience,
                           "threshold": threshold, "cooldown": cooldown, "min_lr": min_lr},
                  "metrics": metrics, "lrs": trace(s, opt, len(metrics), metrics)})

write("lr_schedulers.json", "tools/golden/lr_schedulers.py", cases)
