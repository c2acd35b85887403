"""gzip-compressed float32 safetensors files for the PyTorch-weights and PyTorch-ONNX fixtures (no safetensors package needed)."""
import gzip
import json
import os
import struct

import golden_io  # noqa: F401  (first: pins torch's kernels, OpenBLAS and threads, as for the JSON fixtures)
import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO, "tests", "SharpGrad.Tests", "Golden")
MAX_BYTES = 300_000


def write_safetensors(path, tensors):
    """float32 tensors in the safetensors layout: u64 header length, JSON header, data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    raw = struct.pack("<Q", len(head)) + head + b"".join(blobs)
    write_bytes(path, raw)


def read_safetensors(path):
    raw = gzip.decompress(open(path, "rb").read())
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        a, b = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(raw[base + a:base + b], dtype="<f4").copy()).reshape(info["shape"])
    return out


def write_bytes(path, data):
    """Any other fixture, gzip-compressed, under the same size limit."""
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) > MAX_BYTES:
        raise SystemExit(f"{path}: {len(packed)} bytes is over {MAX_BYTES}")
    with open(path, "wb") as f:
        f.write(packed)
    print(f"wrote {os.path.relpath(path, REPO)} ({len(packed)} bytes)")
