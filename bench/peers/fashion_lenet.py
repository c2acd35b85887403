#!/usr/bin/python3
"""LeNet on Fashion-MNIST in PyTorch, with the settings of `sharpgrad train --model lenet --optimizer adam`.

Same network (conv 6@5x5 pad 2, relu, maxpool 2, conv 16@5x5, relu, maxpool 2, 400-120-84-10), PyTorch's default
initialisation, Adam(lr), batch size, per-epoch shuffling, pixels scaled to [0, 1] then normalised with
mean 0.2860 / std 0.3530, the full 10 000-image test set evaluated after every epoch.

    /usr/bin/python3 bench/peers/fashion_lenet.py [--epochs 10] [--batch 64] [--lr 1e-3] [--seed 1] [--threads 1] [--data DIR]
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, f"{path}: not an unsigned-byte IDX file"
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(dir, split):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(dir, name)):
                return os.path.join(dir, name)
        raise SystemExit(f"{stem} not found in {dir}: sudo apt-get install dataset-fashion-mnist, or --data DIR")
    x = read_idx(find(f"{split}-images-idx3-ubyte")).astype(np.float32) / 255.0
    y = read_idx(find(f"{split}-labels-idx1-ubyte")).astype(np.int64)
    x = (x - 0.2860) / 0.3530
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


def train_epoch(model, opt, n, batch, batch_loss, after_step=None):
    """One epoch in train mode over a fresh permutation of n examples: batch_loss(indices) gives a batch's loss, then
    zero_grad, backward, step and after_step(); returns the mean loss per example and the number of examples."""
    model.train()
    perm = torch.randperm(n)
    total, seen = 0.0, 0
    for i in range(0, n, batch):
        idx = perm[i:i + batch]
        loss = batch_loss(idx)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if after_step is not None:
            after_step()
        total += loss.item() * len(idx)
        seen += len(idx)
    return total / seen, seen


def report_epoch(model, xte, yte, epoch, epochs, train_loss, start, train_rate):
    """Scores the test set in eval mode (batches of 1000) and prints the epoch's line; returns the test accuracy."""
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(xte[i:i + 1000]) for i in range(0, len(xte), 1000)])
        test_loss = F.cross_entropy(logits, yte).item()
        acc = (logits.argmax(1) == yte).float().mean().item()
    print(f"epoch {epoch:3d}/{epochs}  train loss {train_loss:.4f}  test loss {test_loss:.4f}  "
          f"test acc {100 * acc:.2f}%  time {time.perf_counter() - start:.1f} s ({train_rate:.0f} img/s training)", flush=True)
    return acc


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    model = LeNet()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); lenet "
          f"({sum(p.numel() for p in model.parameters())} parameters), adam lr={a.lr}, batch {a.batch}, seed {a.seed}")
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        train_loss, seen = train_epoch(model, opt, len(xtr), a.batch, lambda idx: F.cross_entropy(model(xtr[idx]), ytr[idx]))
        train_time = time.perf_counter() - start
        report_epoch(model, xte, yte, epoch, a.epochs, train_loss, start, seen / train_time)


if __name__ == "__main__":
    main()
