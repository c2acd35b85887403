"""Shared helpers for the golden-value scripts: tensor <-> JSON, one op case, writing a fixture.

Every fixture is {"generator", "torch", "cases": [...]}; see tools/golden/README.md for the case format.
Values are written so that C# reads them back bit-exactly:
  float64 -> rounded to SIGNIFICANT_DIGITS, then Python's repr (.NET's double.Parse is correctly rounded);
  float32 -> the shortest float32 string, checked here to survive double.Parse followed by (float).
So that every x86 CPU writes the same bytes, importing this module pins what decides the order of floating-point
sums (torch's kernel ISA, OpenBLAS's kernels, one thread), and write() rounds every number in a fixture.
"""
import json
import math
import os
import sys

# Pinned before torch loads (OpenBLAS reads its variables when the library is loaded), by starting the script
# again with them: AVX2 kernels and OpenBLAS's Haswell kernels run on every x86-64 CPU of the last decade, AMD
# or Intel, where the CPU's own choice (AVX-512, SkylakeX) changes float64 results in the 15th-16th digit.
PINNED_ENV = {"ATEN_CPU_CAPABILITY": "avx2", "OPENBLAS_CORETYPE": "Haswell", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
if any(os.environ.get(k) != v for k, v in PINNED_ENV.items()):
    os.environ.update(PINNED_ENV)
    if sys.argv and sys.argv[0].endswith(".py") and os.path.isfile(sys.argv[0]):
        os.execv(sys.executable, [sys.executable] + sys.argv)
    print("golden_io: not run as a script; torch's kernels and BLAS are not pinned", file=sys.stderr)

import numpy as np  # noqa: E402  (after the pins above)
import torch  # noqa: E402

torch.set_num_threads(1)


def _require_openblas():
    """The fixtures hold OpenBLAS's sums. Debian's torch calls whichever libblas.so.3 the alternatives system picks, and
    python3-torch alone brings the reference BLAS, which adds in another order: regenerated with it on the same CPU, 105
    float64 values in 9 fixtures changed in their 14th digit. So refuse any BLAS but OpenBLAS."""
    probe = torch.ones(2, 2, dtype=torch.float64)
    probe @ probe  # loads the BLAS
    with open("/proc/self/maps", encoding="utf-8") as maps:
        blas = sorted({line.split()[-1] for line in maps if "/libblas.so" in line})
    if not blas or not all("openblas" in path for path in blas):
        sys.exit(f"golden_io: torch's BLAS is {blas or 'not loaded'}, not OpenBLAS, whose summation order the fixtures "
                 "hold: apt-get install libopenblas0-openmp, or select it with "
                 "update-alternatives --config libblas.so.3-x86_64-linux-gnu")


_require_openblas()

# float64 values keep 14 significant digits: the rounding (at most 5e-14 relative) stays below the tests' float64
# tolerances (1e-13 to 1e-10), and it absorbs most last-digit differences the pins above might miss (a different
# BLAS build, say). Measured over every fixture, unpinned, AVX2+Haswell against AVX-512+SkylakeX kernels: 3997 of
# 71558 float64 values differ as written before, 177 at 14 digits (60 at 12: values that are rounding noise around
# zero, such as a gradient that is 0 in exact arithmetic, differ in every digit). With the pins both run the same
# kernels: a rerun under the AVX-512+SkylakeX variables and 2 threads rewrote identical files.
SIGNIFICANT_DIGITS = 14

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN_DIR = os.path.join(REPO, "tests", "SharpGrad.Tests", "Golden")

DTYPES = {"float64": torch.float64, "float32": torch.float32}


def rn(*shape, dtype=torch.float64):
    """Standard normal values from torch's (seeded) generator, rounded as the fixture will hold them."""
    return rounded(torch.randn(*shape, dtype=dtype))


def round_value(v):
    """A float64 to SIGNIFICANT_DIGITS significant digits (idempotent; no change to a float32 written by flat)."""
    return float(f"{v:.{SIGNIFICANT_DIGITS - 1}e}") if math.isfinite(v) else v


def rounded(t):
    """Tensor t with the values write() will store, so that what torch computes from it is what a test reads."""
    if not t.is_floating_point() or t.dtype != torch.float64:
        return t
    return torch.tensor([round_value(v) for v in t.reshape(-1).tolist()], dtype=t.dtype).reshape(t.shape)


def pair(v):
    """An int or a pair as [h, w], the way torch's convolution and pooling arguments take them."""
    return [v, v] if isinstance(v, int) else list(v)


def _f32_value(v):
    """Shortest decimal of a float32, as the double it parses to; (float)double gives back v exactly."""
    f = np.float32(v)
    short = float(repr(f)) if np.isfinite(f) else float(f)
    # The double nearest the short decimal must round (to nearest even) back to the same float32.
    if np.float32(short) != f:
        short = float(f)  # exact double of the float32: always round-trips
    return short


def flat(t, int_values=False):
    """Flat row-major list of Python numbers for tensor t."""
    t = t.detach().contiguous().reshape(-1)
    if int_values:
        return [float(int(v)) for v in t.tolist()]
    if t.dtype == torch.float32:
        return [_f32_value(v) for v in t.numpy()]
    return [float(v) for v in t.double().tolist()]


def tj(t, is_int=False):
    """{"shape": [...], "data": [...]} for a tensor; integer tensors get "int": true."""
    d = {"shape": list(t.shape), "data": flat(t, is_int)}
    if is_int:
        d["int"] = True
    return d


def nested(t):
    """A tensor as nested lists (for the assignment's worked example, which reads as matrices)."""
    return t.detach().double().tolist()


def op_case(name, op, fn, inputs, args=None, grad_mask=None, int_mask=None, zero_grads=False):
    """Run fn(*inputs), seeded upstream gradient g, grads = d(sum(out*g))/d input_i.

    inputs: tensors (float ones are made leaves requiring grad unless grad_mask says False).
    zero_grads: the op is piecewise constant (step, sign) or has no autograd formula in torch;
    its true gradient is zero almost everywhere, so zeros are stored.
    """
    n = len(inputs)
    grad_mask = grad_mask if grad_mask is not None else [t.is_floating_point() for t in inputs]
    int_mask = int_mask if int_mask is not None else [not t.is_floating_point() for t in inputs]
    leaves = []
    for t, g in zip(inputs, grad_mask):
        t = rounded(t.detach()).clone()
        if g and not zero_grads:
            t.requires_grad_(True)
        leaves.append(t)
    out = fn(*leaves)
    dtype = out.dtype
    grad_out = torch.randn(out.shape, dtype=dtype)
    grads = [None] * n
    wanted = [i for i in range(n) if grad_mask[i]]
    if zero_grads:
        for i in wanted:
            grads[i] = torch.zeros_like(leaves[i])
    elif wanted:
        gs = torch.autograd.grad(out, [leaves[i] for i in wanted], grad_out, allow_unused=True)
        for i, g in zip(wanted, gs):
            grads[i] = g if g is not None else torch.zeros_like(leaves[i])
    dname = {torch.float64: "float64", torch.float32: "float32"}[dtype]
    return {
        "name": name,
        "op": op,
        "dtype": dname,
        "args": args or {},
        "inputs": [tj(t, is_int=im) for t, im in zip(leaves, int_mask)],
        "output": tj(out),
        "grad_output": tj(grad_out),
        "grads": [tj(g) if g is not None else None for g in grads],
    }


def _round_all(x):
    """Every float in a fixture (tensor data, nested matrices, scalars, args) rounded by round_value."""
    if isinstance(x, float):
        return round_value(x)
    if isinstance(x, dict):
        return {k: _round_all(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_round_all(v) for v in x]
    return x


def write(file_name, generator, cases, extra=None):
    """Write the fixture with one case per line (readable diffs) and check names are unique."""
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate case names: {sorted(dup)}")
    cases = _round_all(cases)
    head = {"generator": generator, "torch": torch.__version__}
    if extra:
        head.update(extra)
    path = os.path.join(GOLDEN_DIR, file_name)
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    sep = (",", ":")
    with open(path, "w", encoding="utf-8") as f:
        f.write("{")
        for k, v in head.items():
            f.write(json.dumps(k) + ":" + json.dumps(v, separators=sep, allow_nan=False) + ",\n")
        f.write('"cases":[\n')
        for i, c in enumerate(cases):
            f.write(json.dumps(c, separators=sep, allow_nan=False))
            f.write(",\n" if i + 1 < len(cases) else "\n")
        f.write("]}\n")
    size = os.path.getsize(path)
    print(f"{path}: {len(cases)} cases, {size / 1024:.1f} KB")
    if size > 300 * 1024:
        raise SystemExit(f"{file_name} is {size} bytes, over the 300 KB budget")
