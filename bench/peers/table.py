#!/usr/bin/python3
"""Merges the JSON lines of `sharpgrad bench --json`, torch_peer.py and OrtPeer (one object per workload run) into Markdown tables.

    /usr/bin/python3 bench/peers/table.py DIR [--threads 1,2] [--load-before "a b c"] [--load-after "a b c"]

DIR holds what peers.sh wrote for each thread count N: sharpgrad-tN.jsonl, torch-tN.jsonl and ort-tN.jsonl (ONNX
Runtime, inference workloads only). Per thread count, one table of speed and one of resources; with two thread
counts or more, the scaling from the first to each other.

Ratios are speed ratios, SharpGrad over the peer: above 1 means SharpGrad is faster (a rate's ratio, or a latency's
inverse). GFLOP/s counts useful work only: 2 × the multiply-adds sharpgrad counts per item (its *_flop_per_item key),
for every side, at that side's rate; the share is of the register-only FMA ceiling (fma_peak) at the same thread count.
With several rounds (peers.sh --rounds R: the sides alternate, workload by workload, R times) every figure is the
median over the rounds, and a ratio is the median of the per-round ratios, with their range: the machine's speed
drifts (a VM whose cores are shared with other guests), and pairing each run with its neighbour cancels most of that.
"""
import argparse
import json
import os
import statistics

SIDES = [("SharpGrad", "sharpgrad"), ("PyTorch", "torch"), ("ONNX Runtime", "ort")]

ROWS = [  # (row, key prefix, rate key, unit, latency: lower is faster)
    ("sgemm256", "sgemm256", "sgemm256_gflops", "GFLOP/s", False),
    ("sgemm1024", "sgemm1024", "sgemm1024_gflops", "GFLOP/s", False),
    ("lenet train", "lenet", "lenet_train_samples_per_s", "samples/s", False),
    ("mlp train", "mlp", "mlp_train_samples_per_s", "samples/s", False),
    ("lstm train", "lstm", "lstm_train_seqs_per_s", "sequences/s", False),
    ("transformer train", "transformer", "transformer_train_seqs_per_s", "sequences/s", False),
] + [
    row
    for name, items in (("lenet", "samples"), ("cnn", "samples"), ("mlp", "samples"), ("lstm", "seqs"))
    for row in (
        (f"{name} infer b1", f"infer_{name}_b1", f"infer_{name}_b1_latency_us", "µs/call", True),
        (f"{name} infer b64", f"infer_{name}_b64", f"infer_{name}_b64_{items}_per_s",
         "sequences/s" if items == "seqs" else "samples/s", False),
    )
]


def rounds(path):
    """Every value of each key, in the order the runs wrote them (one per round); {} when the file is missing."""
    result = {}
    if not os.path.exists(path):
        return result
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


def speed(value, latency):
    """Calls or items per second: a rate as it is, a latency in µs inverted."""
    return None if value is None else (1e6 / value if latency else value)


def paired(a, b, latency):
    """Median and range of the per-round speed ratios a / b."""
    ratios = [speed(x, latency) / speed(y, latency) for x, y in zip(a or [], b or []) if x and y]
    if not ratios:
        return "—", "—"
    spread = f"{min(ratios):.2f}–{max(ratios):.2f}" if len(ratios) > 1 else "—"
    return f"{statistics.median(ratios):.2f}", spread


def gflops(data, rate_key, latency, flop_per_item):
    """Useful GFLOP/s at this side's median rate; sgemm's rate is GFLOP/s already."""
    rate = speed(median(data.get(rate_key)), latency)
    if rate is None:
        return None
    if rate_key.endswith("_gflops"):
        return rate
    return None if flop_per_item is None else rate * flop_per_item / 1e9


def tables(data, threads, load_before, load_after):
    sg, pt, ort = (data[side] for _, side in SIDES)
    peak = median(sg.get("fma_peak_gflops"))
    print(f"### {threads} thread(s)\n")
    print(f"threads: SharpGrad {first(sg.get('threads'))}, PyTorch {first(pt.get('threads'))}, ONNX Runtime {first(ort.get('threads'))}; "
          f"load average (1/5/15 min) before {load_before}, after {load_after}")
    print(f"SharpGrad: {first(sg.get('runtime'))}, GEMM kernel {first(sg.get('gemm_isa'))}; "
          f"PyTorch {first(pt.get('torch'))}, BLAS {', '.join(first(pt.get('blas')) or [])}, "
          f"OPENBLAS_CORETYPE={first(pt.get('openblas_coretype'))}; ONNX Runtime {first(ort.get('onnxruntime'))}")
    print()
    print("| workload | unit | SharpGrad | PyTorch | ONNX Runtime | SG/PT | SG/PT range | SG/ORT | SG/ORT range "
          "| GFLOP/s SG | GFLOP/s PT | GFLOP/s ORT | ceiling SG | ceiling PT | ceiling ORT |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    shown = []
    for row, key, rate_key, unit, latency in ROWS:
        if not any(rate_key in d for d in (sg, pt, ort)):
            continue
        shown.append((row, key))
        flop_per_item = median(sg.get(key + "_flop_per_item"))
        work = [gflops(d, rate_key, latency, flop_per_item) for d in (sg, pt, ort)]
        shares = [None if g is None or not peak else 100 * g / peak for g in work]
        vs_pt, vs_ort = paired(sg.get(rate_key), pt.get(rate_key), latency), paired(sg.get(rate_key), ort.get(rate_key), latency)
        print(f"| {row} | {unit} | " + " | ".join(fmt(median(d.get(rate_key))) for d in (sg, pt, ort))
              + f" | {vs_pt[0]} | {vs_pt[1]} | {vs_ort[0]} | {vs_ort[1]} | "
              + " | ".join(fmt(g) for g in work) + " | " + " | ".join("—" if s is None else f"{s:.0f}%" for s in shares) + " |")
    count = max((len(sg.get(rate_key, [])) for _, _, rate_key, _, _ in ROWS), default=0)
    print(f"\n{count} round(s); each figure is the median over the rounds. "
          + (f"FMA ceiling (registers only, {threads} thread(s), SharpGrad's vector width): {peak:,.1f} GFLOP/s." if peak
             else "No fma_peak run: no ceiling shares."))
    print()
    print("| workload | CPU ms/step SG | CPU ms/step PT | CPU ms/step ORT | peak MB SG | peak MB PT | peak MB ORT | alloc B/step SG |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for row, key in shown:
        alloc = median(sg.get(key + "_alloc_bytes_per_step"))
        print(f"| {row} | " + " | ".join(fmt(median(d.get(key + "_cpu_ms_per_step")), 2) for d in (sg, pt, ort)) + " | "
              + " | ".join(fmt(median(d.get(key + "_peak_mb"))) for d in (sg, pt, ort))
              + f" | {fmt(alloc, 0) if alloc is not None else '—'} |")
    for side, d in zip((s for s, _ in SIDES), (sg, pt, ort)):
        for missing in d.get("missing", []):
            for key, why in missing.items():
                print(f"\n{side}: {key} missing: {why}")
    print()


def scaling(by_threads):
    """Speed at each later thread count over the first's: the median of the per-round ratios, per side."""
    counts = list(by_threads)
    base = counts[0]
    for other in counts[1:]:
        print(f"### Scaling {base} → {other} threads (speed at {other} / speed at {base}; median of the per-round ratios)\n")
        print("| workload | SharpGrad | PyTorch | ONNX Runtime |")
        print("|---|--:|--:|--:|")
        for row, _, rate_key, _, latency in ROWS:
            cells = [paired(by_threads[other][side].get(rate_key), by_threads[base][side].get(rate_key), latency)[0] for _, side in SIDES]
            if any(c != "—" for c in cells):
                print(f"| {row} | " + " | ".join(cells) + " |")
        print()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--threads", default="1", help="comma-separated thread counts whose files DIR holds")
    p.add_argument("--load-before", default="?")
    p.add_argument("--load-after", default="?")
    args = p.parse_args()
    counts = [int(t) for t in args.threads.split(",") if t]
    by_threads = {n: {side: rounds(os.path.join(args.dir, f"{side}-t{n}.jsonl")) for _, side in SIDES} for n in counts}
    for n in counts:
        tables(by_threads[n], n, args.load_before, args.load_after)
    if len(counts) > 1:
        scaling(by_threads)


if __name__ == "__main__":
    main()
