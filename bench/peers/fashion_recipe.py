#!/usr/bin/python3
"""The Fashion-MNIST recipes of docs/fashion-mnist.md in PyTorch: the same run as `sharpgrad train` with the same flags.

Same networks as SharpGrad's model zoo (vgg, vgg-wide, cnn; `models()` below), PyTorch's default initialisation (the
one SharpGrad copies: kaiming-uniform with a = sqrt(5) for weights, BatchNorm weight 1 and bias 0), the optimizer
(adam, or adamw with decoupled weight decay; sgd, momentum 0.9, nesterov as torch.optim.SGD), the schedule (none;
cosine, one rate per epoch, as CosineAnnealingLR(T_max=epochs) stepped after each epoch; onecycle, per batch, OneCycleLR with its defaults, Adam's
beta1 cycling 0.95 -> 0.85 -> 0.95 as SharpGrad's does),
label smoothing, batch size, per-epoch shuffling, and the augmentation applied batch-wise to pixels/255 before the
normalisation with mean 0.2860 / std 0.3530 (crop: zero-pad by P and crop 28x28 at a random place; flip: mirror left to
right with probability 1/2; erase: torchvision's RandomErasing with its defaults, value 0). The full 10 000-image test
set is scored after every epoch; each line gives the epoch's wall time, and the last line the whole run's.

    /usr/bin/python3 bench/peers/fashion_recipe.py --model vgg --optimizer adamw --lr 0.002 --batch 128 --epochs 10 \\
        --schedule cosine [--label-smoothing 0.1] [--weight-decay 0.01] [--augment crop2,flip,erase] [--tta flip] [--threads 2] [--seed 1] [--limit N]
"""
import argparse
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_lenet import load, report_epoch, train_epoch  # noqa: E402  (the lenet peer's IDX reader, normalisation, epoch)


def vgg(width=32, classes=10):
    """SharpGrad's SmallVgg: stages of 3x3 convs (w | 2w, 2w | 4w channels, each conv without bias, then BatchNorm
    and ReLU), a 2x2 max-pool after each stage (28 -> 14 -> 7 -> 3), dropout 0.3, 4w*9 -> 256, ReLU, dropout 0.3, -> 10."""
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
    w = width
    return nn.Sequential(
        *block(1, w), nn.MaxPool2d(2),
        *block(w, 2 * w), *block(2 * w, 2 * w), nn.MaxPool2d(2),
        *block(2 * w, 4 * w), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.3), nn.Linear(4 * w * 9, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, classes))


def cnn(classes=10):
    """SharpGrad's Cnn (src/SharpGrad/Models/Cnn.cs)."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, classes))


def models():
    """The zoo's names and builders, as `sharpgrad train --model NAME` knows them."""
    return {"vgg": lambda: vgg(32), "vgg-wide": lambda: vgg(64), "cnn": cnn}


def augment(x, kinds, crop_padding):
    """x: [B, 1, 28, 28] in [0, 1]; each kind is applied in the order given, drawing from torch's generator."""
    n, _, h, w = x.shape
    for kind in kinds:
        if kind == "crop":
            p = crop_padding
            padded = F.pad(x, (p, p, p, p))
            tops = torch.randint(0, 2 * p + 1, (n,)).tolist()
            lefts = torch.randint(0, 2 * p + 1, (n,)).tolist()
            x = torch.stack([padded[i, :, t:t + h, l:l + w] for i, (t, l) in enumerate(zip(tops, lefts))])
        elif kind == "flip":
            flip = torch.rand(n) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
        elif kind == "erase":
            x = x.clone()
            for i in range(n):
                if torch.rand(1).item() >= 0.5:
                    continue
                for _ in range(10):   # torchvision's RandomErasing.get_params, scale (0.02, 0.33), ratio (0.3, 3.3)
                    area = h * w * (0.02 + 0.31 * torch.rand(1).item())
                    aspect = math.exp(math.log(0.3) + (math.log(3.3) - math.log(0.3)) * torch.rand(1).item())
                    eh, ew = round(math.sqrt(area * aspect)), round(math.sqrt(area / aspect))
                    if eh < h and ew < w:
                        t = torch.randint(0, h - eh + 1, (1,)).item()
                        l = torch.randint(0, w - ew + 1, (1,)).item()
                        x[i, :, t:t + eh, l:l + ew] = 0
                        break
        else:
            raise SystemExit(f"--augment: unknown transform '{kind}' (crop, flip, erase)")
    return x


def parse_augment(text):
    """'crop2,flip,erase' -> (['crop', 'flip', 'erase'], 2); 'crop' alone pads by 4."""
    kinds, padding = [], 4
    for item in filter(None, (text or "").split(",")):
        if item.startswith("crop"):
            kinds.append("crop")
            padding = int(item[4:]) if len(item) > 4 else 4
        else:
            kinds.append(item)
    return kinds, padding


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="vgg", choices=sorted(models()))
    p.add_argument("--optimizer", default="adam", choices=["adam", "adamw", "sgd", "momentum", "nesterov"])
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=None,
                   help="adamw's decoupled decay (default 0.01, as torch's); the others' L2 term (default 0)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--schedule", default="none", choices=["none", "cosine", "onecycle"])
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--augment", default="")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=None, help="train on the first N images only (as sharpgrad train --limit)")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--tta", default=None, choices=["flip"],
                   help="after the last epoch, also score the test set averaging each image's and its mirror's softmax (as sharpgrad eval --tta flip)")
    a = p.parse_args()
    run_start = time.perf_counter()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    kinds, crop_padding = parse_augment(a.augment)
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    if a.limit is not None:
        xtr, ytr = xtr[:a.limit], ytr[:a.limit]
    mean, std = 0.2860, 0.3530
    raw = xtr * std + mean   # load() normalises; the transforms see pixels/255, as SharpGrad's do
    model = models()[a.model]()
    if a.optimizer == "adamw":
        opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01 if a.weight_decay is None else a.weight_decay)
    elif a.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=a.lr, weight_decay=a.weight_decay or 0.0)
    else:   # sharpgrad's sgd, momentum and nesterov: torch.optim.SGD with momentum 0, 0.9, 0.9 + nesterov
        opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.0 if a.optimizer == "sgd" else 0.9,
                              nesterov=a.optimizer == "nesterov", weight_decay=a.weight_decay or 0.0)
    steps = math.ceil(len(xtr) / a.batch)
    schedule = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs) if a.schedule == "cosine"
                else torch.optim.lr_scheduler.OneCycleLR(opt, a.lr, total_steps=a.epochs * steps)
                if a.schedule == "onecycle" else None)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); {a.model} "
          f"({sum(p.numel() for p in model.parameters())} parameters), {a.optimizer} lr={a.lr}, {a.schedule} schedule, "
          f"batch {a.batch}, label smoothing {a.label_smoothing}, augment '{a.augment}', seed {a.seed}", flush=True)

    def batch_loss(idx):
        x = xtr[idx] if not kinds else (augment(raw[idx], kinds, crop_padding) - mean) / std
        return F.cross_entropy(model(x), ytr[idx], label_smoothing=a.label_smoothing)

    best = 0.0
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        train_loss, seen = train_epoch(model, opt, len(xtr), a.batch, batch_loss, schedule.step if a.schedule == "onecycle" else None)
        if a.schedule == "cosine":
            schedule.step()
        acc = report_epoch(model, xte, yte, epoch, a.epochs, train_loss, start, seen / (time.perf_counter() - start))
        best = max(best, acc)
    if a.tta == "flip":
        model.eval()
        with torch.no_grad():
            mean_probs = torch.cat([(F.softmax(model(x), 1) + F.softmax(model(x.flip(3)), 1)) / 2
                                    for x in (xte[i:i + 1000] for i in range(0, len(xte), 1000))])
        print(f"test with flip averaging: loss {F.nll_loss(mean_probs.log(), yte).item():.4f}  "
              f"acc {100 * (mean_probs.argmax(1) == yte).float().mean().item():.2f}%", flush=True)
    print(f"final test acc {100 * acc:.2f}% (best epoch {100 * best:.2f}%), {time.perf_counter() - run_start:.0f} s wall in all")


if __name__ == "__main__":
    main()
