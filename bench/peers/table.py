#!/usr/bin/python3
"""Merges the JSON lines of `sharpgrad bench --json` and torch_peer.py (one object per workload run) into a Markdown table.

    /usr/bin/python3 bench/peers/table.py SHARPGRAD.jsonl TORCH.jsonl [--load-before "a b c"] [--load-after "a b c"]

Ratios are SharpGrad / PyTorch: above 1 means SharpGrad is faster (rates) or uses more (CPU ms, memory).
With several rounds (peers.sh --rounds R: the two sides alternate, workload by workload, R times) every figure is
the median over the rounds, and the rate ratio is the median of the per-round ratios, with their range: the
machine's speed drifts (a VM whose cores are shared with other guests), and pairing each run with its neighbour
cancels most of that drift.
"""
import argparse
import json
import statistics

ROWS = [  # (workload, rate key, unit)
    ("sgemm256", "sgemm256_gflops", "GFLOP/s"),
    ("sgemm1024", "sgemm1024_gflops", "GFLOP/s"),
    ("lenet", "lenet_train_samples_per_s", "samples/s"),
    ("mlp", "mlp_train_samples_per_s", "samples/s"),
    ("lstm", "lstm_train_seqs_per_s", "sequences/s"),
    ("transformer", "transformer_train_seqs_per_s", "sequences/s"),
]


def rounds(path):
    """Every value of each key, in the order the runs wrote them (one per round)."""
    result = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                for key, value in json.loads(line).items():
                    result.setdefault(key, []).append(value)
    return result


def median(values):
    numbers = [v for v in values or [] if isinstance(v, (int, float))]
    return statistics.median(numbers) if numbers else None


def first(values):
    return values[0] if values else None


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
    sg, pt = rounds(args.sharpgrad), rounds(args.torch)
    count = max((len(sg.get(key, [])) for _, key, _ in ROWS), default=0)

    print(f"threads: SharpGrad {first(sg.get('threads'))}, PyTorch {first(pt.get('threads'))}; "
          f"load average (1/5/15 min) before {args.load_before}, after {args.load_after}")
    print(f"SharpGrad: {first(sg.get('runtime'))}, GEMM kernel {first(sg.get('gemm_isa'))}; "
          f"PyTorch {first(pt.get('torch'))}, BLAS {', '.join(first(pt.get('blas')) or [])}, "
          f"OPENBLAS_CORETYPE={first(pt.get('openblas_coretype'))}")
    print()
    print("| workload | unit | SharpGrad | PyTorch | ratio | ratio range | CPU ms/step SG | CPU ms/step PT | CPU ratio PT/SG "
          "| peak MB SG | peak MB PT | alloc B/step SG |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, key, unit in ROWS:
        if key not in sg and key not in pt:
            continue
        a, b = median(sg.get(key)), median(pt.get(key))
        per_round = [x / y for x, y in zip(sg.get(key, []), pt.get(key, [])) if y]
        spread = f"{min(per_round):.2f}–{max(per_round):.2f}" if len(per_round) > 1 else "—"
        ca, cb = median(sg.get(name + "_cpu_ms_per_step")), median(pt.get(name + "_cpu_ms_per_step"))
        alloc = median(sg.get(name + "_alloc_bytes_per_step"))
        print(f"| {name} | {unit} | {fmt(a)} | {fmt(b)} | {fmt(median(per_round), 2) if per_round else '—'} | {spread} "
              f"| {fmt(ca, 2)} | {fmt(cb, 2)} | {fmt(ratio(cb, ca), 2)} | {fmt(median(sg.get(name + '_peak_mb')))} "
              f"| {fmt(median(pt.get(name + '_peak_mb')))} | {fmt(alloc, 0) if alloc is not None else '—'} |")
    print(f"\n{count} round(s); each figure is the median over the rounds.")
    peak = median(sg.get("fma_peak_gflops"))
    if peak:
        shares = [f"{name} SharpGrad {100 * median(sg[key]) / peak:.0f}%, PyTorch {100 * median(pt[key]) / peak:.0f}%"
                  for name, key, _ in ROWS[:2] if key in sg and key in pt]
        print(f"FMA peak (registers only, same threads, SharpGrad's vector width): {peak:,.1f} GFLOP/s"
              + (f"; of it: {'; '.join(shares)}" if shares else "") + ".")
    for side, data in (("SharpGrad", sg), ("PyTorch", pt)):
        for missing in data.get("missing", []):
            for key, why in missing.items():
                print(f"\n{side}: {key} missing: {why}")


if __name__ == "__main__":
    main()
