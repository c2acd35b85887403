#!/usr/bin/env python3
"""One-off cross-check of the optimizers lab's step-count spread with torch.optim.RMSprop (float64, hand gradients).

Runs RMSprop from the lab's nominal start and the six starts shifted by +-1e-15 (relative; the order of
StepSpread.Starts) and prints the steps to ||theta - theta*|| < 1e-3 from each. torch 1.13 prints
    quadratic [813, 814, 817, 813, 816, 816, 815]
    rosenbrock [16073, 16073, 16072, 16073, 16073, 16073, 16073]
Run: /usr/bin/python3 tools/labs/optimizer_spread_torch.py (about 20 s)
"""
import torch, math
torch.set_default_dtype(torch.float64)
C, S = math.cos(math.pi/6), math.sin(math.pi/6)
def rosen(x, y): return (-2*(1-x) - 400*x*(y-x*x), 200*(y-x*x))
def quad(x, y):
    a = C*x + S*y; b = -S*x + C*y
    return (C*a - S*100*b, S*a + C*100*b)
def steps(grad, start, mn, lr, maxs=20000, tol=1e-3):
    th = torch.tensor(list(start), requires_grad=True)
    opt = torch.optim.RMSprop([th], lr=lr)
    for t in range(1, maxs+1):
        x, y = th.detach().tolist()
        th.grad = torch.tensor(grad(x, y))
        opt.step()
        x, y = th.detach().tolist()
        if math.sqrt((x-mn[0])**2 + (y-mn[1])**2) < tol: return t
    return -1
def starts(x, y, d=1e-15):
    up = lambda v, s: s*d if v == 0 else v*(1+s*d)
    return [(x,y),(up(x,1),y),(up(x,-1),y),(x,up(y,1)),(x,up(y,-1)),(up(x,1),up(y,1)),(up(x,-1),up(y,-1))]
print("quadratic", [steps(quad, s, (0,0), 0.03) for s in starts(-4.0, 1.0)])
print("rosenbrock", [steps(rosen, s, (1,1), 3e-4) for s in starts(-1.5, 2.0)])
