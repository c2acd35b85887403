#!/usr/bin/env bash
# SharpGrad against PyTorch (Debian's 1.13 on OpenBLAS) and, for the inference workloads, ONNX Runtime, on the same
# workloads, same thread count, in one run:
#   bench/peers.sh [--threads N[,M…]] [--rounds R] [--seconds S] [--warmup W] [--warmup-steps N] [--only sgemm256,lenet] [--out DIR]
# Each workload runs in a fresh process on each side (sharpgrad first, then torch, then ONNX Runtime for infer-*,
# workload by workload, so all see about the same load), so each peak-memory figure is that workload's alone;
# --rounds R (default 3) repeats the whole alternation R times, each round going through every thread count of
# --threads (e.g. 1,2, for the 1→2 scaling), and the tables give medians and the median of the per-round ratios (this
# VM's speed drifts by ±30 % over minutes). fma_peak, SharpGrad's side only, is the register-only FMA ceiling every
# GFLOP/s figure is set against. The ONNX Runtime peer (bench/peers/OrtPeer) runs the models `sharpgrad bench
# --export-onnx` writes, after checking its outputs against SharpGrad's to 1e-4. Prints Markdown tables (speed,
# GFLOP/s and share of the ceiling, resources, scaling) and writes every side's JSON to DIR (default out/peers,
# ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

threads=$(nproc)
rounds=3
seconds=3
warmup=5
warmup_steps=60
only=fma_peak,sgemm256,sgemm1024,lenet,mlp,lstm,transformer,infer-lenet,infer-cnn,infer-mlp,infer-lstm
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
        *) echo "peers.sh: unknown argument '$1' (expected --threads N[,M], --rounds R, --seconds S, --warmup W, --warmup-steps N, --only a,b, --out DIR)" >&2; exit 2 ;;
    esac
done

dotnet build src/SharpGrad.Cli -c Release -nologo -v q >&2
sharpgrad=src/SharpGrad.Cli/bin/Release/net10.0/sharpgrad
mkdir -p "$out"
inference=$(tr ',' '\n' <<< "$only" | grep '^infer-' | paste -sd, || true)
if [[ -n "$inference" ]]; then
    dotnet build bench/peers/OrtPeer -c Release -nologo -v q >&2
    ortpeer=bench/peers/OrtPeer/bin/Release/net10.0/OrtPeer
    "$sharpgrad" bench --export-onnx "$out/onnx" --only "$inference" >&2
fi
for t in ${threads//,/ }; do
    : > "$out/sharpgrad-t$t.jsonl"
    : > "$out/torch-t$t.jsonl"
    : > "$out/ort-t$t.jsonl"
done

common=(--seconds "$seconds" --warmup "$warmup" --warmup-steps "$warmup_steps")
# The kernel OpenBLAS picks for this CPU: 0.3.21 takes a CPU newer than it knows (Intel model 207) for "Prescott" and
# runs generic SSE3 kernels, three times slower than the AVX-512 ones the CPU runs; such a peer is not PyTorch at its speed.
blas_core=$(OPENBLAS_VERBOSE=2 /usr/bin/python3 -c "import torch; a = torch.ones(64, 64); a @ a" 2>&1 | sed -n 's/^Core: //p' | head -n 1 || true)
blas_note="OpenBLAS kernel (OPENBLAS_VERBOSE=2): ${blas_core:-unknown}"
if [[ "$blas_core" == Prescott ]]; then
    blas_note+=" — generic SSE3 kernels, not a fair peer"
    echo "peers.sh: OpenBLAS runs its generic Prescott kernels on this CPU; set OPENBLAS_CORETYPE to the newest core it can run (SkylakeX for AVX-512, Haswell for AVX2) for a fair peer" >&2
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$rounds"); do
    for t in ${threads//,/ }; do
        for w in ${only//,/ }; do
            echo "peers: round $round/$rounds, $w, $t thread(s): sharpgrad…" >&2
            "$sharpgrad" bench --json --threads "$t" "${common[@]}" --only "$w" 2>/dev/null >> "$out/sharpgrad-t$t.jsonl"
            [[ "$w" == fma_peak ]] && continue  # a ceiling, not a workload the peers run
            echo "peers: round $round/$rounds, $w, $t thread(s): torch…" >&2
            OMP_NUM_THREADS="$t" /usr/bin/python3 bench/peers/torch_peer.py --threads "$t" "${common[@]}" --only "$w" >> "$out/torch-t$t.jsonl"
            [[ "$w" == infer-* ]] || continue  # ONNX Runtime runs the inference workloads only
            echo "peers: round $round/$rounds, $w, $t thread(s): onnxruntime…" >&2
            "$ortpeer" --models "$out/onnx" --threads "$t" "${common[@]}" --only "$w" >> "$out/ort-t$t.jsonl"
        done
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
    /usr/bin/python3 bench/peers/table.py "$out" --threads "$threads" --load-before "$load_before" --load-after "$load_after"
    echo
    echo "$blas_note"
} | tee "$out/peers-t${threads//,/-}.md"
