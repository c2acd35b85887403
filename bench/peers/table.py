#!/usr/bin/python3
"""Merges the JSON lines of `sharpgrad bench --json` and torch_peer.py (one object per workload run) into a Markdown table.

    /usr/bin/python3 bench/peers/table.py SHARPGRAD.jsonl TORCH.jsonl [--load-before "a b c"] [--load-after "a b c"]

Ratios are SharpGrad / PyTorch: above 1 means SharpGrad is faster (rates) or uses more (CPU ms, memory).
"""
import argparse
import json

ROWS = [  # (workload, rate key, unit)
    ("sgemm256", "sgemm256_gflops", "GFLOP/s"),
    ("sgemm1024", "sgemm1024_gflops", "GFLOP/s"),
    ("lenet", "lenet_train_samples_per_s", "samples/s"),
    ("mlp", "mlp_train_samples_per_s", "samples/s"),
    ("lstm", "lstm_train_seqs_per_s", "sequences/s"),
]


def merged(path):
    result = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                result.update(json.loads(line))
    return result


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def main():
    p = argparse.ArgumentParser()
    p.add_argument("sharpgrad")
    p.add_argument("torch")
    p.add_argument("--load-before", default="?")
    p.add_argument("--load-after", default="?")
    args = p.parse_args()
    sg, pt = merged(args.sharpgrad), merged(args.torch)

    print(f"threads: SharpGrad {sg.get('threads')}, PyTorch {pt.get('threads')}; "
          f"load average (1/5/15 min) before {args.load_before}, after {args.load_after}")
    print(f"SharpGrad: {sg.get('runtime')}, GEMM kernel {sg.get('gemm_isa')}; "
          f"PyTorch {pt.get('torch')}, BLAS {', '.join(pt.get('blas', []))}, OPENBLAS_CORETYPE={pt.get('openblas_coretype')}")
    print()
    print("| workload | unit | SharpGrad | PyTorch | ratio | CPU ms/step SG | CPU ms/step PT | CPU ratio PT/SG "
          "| peak MB SG | peak MB PT | alloc B/step SG |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, key, unit in ROWS:
        if key not in sg and key not in pt:
            continue
        a, b = sg.get(key), pt.get(key)
        ca, cb = sg.get(name + "_cpu_ms_per_step"), pt.get(name + "_cpu_ms_per_step")
        alloc = sg.get(name + "_alloc_bytes_per_step")
        print(f"| {name} | {unit} | {fmt(a)} | {fmt(b)} | {fmt(ratio(a, b), 2)} | {fmt(ca, 2)} | {fmt(cb, 2)} "
              f"| {fmt(ratio(cb, ca), 2)} | {fmt(sg.get(name + '_peak_mb'))} | {fmt(pt.get(name + '_peak_mb'))} "
              f"| {fmt(alloc, 0) if alloc is not None else '—'} |")
    for side, data in (("SharpGrad", sg), ("PyTorch", pt)):
        for key, why in data.get("missing", {}).items():
            print(f"\n{side}: {key} missing: {why}")


if __name__ == "__main__":
    main()
