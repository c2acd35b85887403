#!/usr/bin/env bash
# SharpGrad against PyTorch (Debian's 1.13 on OpenBLAS) on the same workloads, same thread count, in one run:
#   bench/peers.sh [--threads N] [--rounds R] [--seconds S] [--warmup W] [--warmup-steps N] [--only sgemm256,lenet] [--out DIR]
# Each workload runs in a fresh process on each side (sharpgrad first, then torch, workload by workload, so both
# see about the same load), so each peak-memory figure is that workload's alone; --rounds R (default 3) repeats
# the whole alternation R times and the table gives medians and the median of the per-round ratios (this VM's
# speed drifts by ±30 % over minutes). fma_peak, SharpGrad's side only, is the register-only FMA ceiling the
# sgemm rows are set against. Prints a Markdown table with the ratios SharpGrad / PyTorch and writes both
# sides' JSON to DIR (default out/peers, ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

threads=$(nproc)
rounds=3
seconds=3
warmup=5
warmup_steps=60
only=fma_peak,sgemm256,sgemm1024,lenet,mlp,lstm,transformer
out=out/peers
while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --warmup-steps) warmup_steps="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "peers.sh: unknown argument '$1' (expected --threads N, --rounds R, --seconds S, --warmup W, --warmup-steps N, --only a,b, --out DIR)" >&2; exit 2 ;;
    esac
done

dotnet build src/SharpGrad.Cli -c Release -nologo -v q >&2
sharpgrad=src/SharpGrad.Cli/bin/Release/net10.0/sharpgrad
mkdir -p "$out"
sg="$out/sharpgrad-t$threads.jsonl"
pt="$out/torch-t$threads.jsonl"
: > "$sg"
: > "$pt"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$rounds"); do
    for w in ${only//,/ }; do
        echo "peers: round $round/$rounds, $w, $threads thread(s): sharpgrad…" >&2
        "$sharpgrad" bench --json --threads "$threads" --seconds "$seconds" --warmup "$warmup" --warmup-steps "$warmup_steps" --only "$w" 2>/dev/null >> "$sg"
        [[ "$w" == fma_peak ]] && continue  # a ceiling, not a workload PyTorch runs
        echo "peers: round $round/$rounds, $w, $threads thread(s): torch…" >&2
        OMP_NUM_THREADS="$threads" /usr/bin/python3 bench/peers/torch_peer.py --threads "$threads" --seconds "$seconds" --warmup "$warmup" --warmup-steps "$warmup_steps" --only "$w" >> "$pt"
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

/usr/bin/python3 bench/peers/table.py "$sg" "$pt" --load-before "$load_before" --load-after "$load_after" | tee "$out/peers-t$threads.md"
