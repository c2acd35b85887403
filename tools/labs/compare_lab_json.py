#!/usr/bin/env python3
"""Compare two `sharpgrad lab ... --json` outputs value by value.

    dotnet run --project src/SharpGrad.Cli -c Release -- lab all --json > after.json
    python3 tools/labs/compare_lab_json.py before.json after.json

Exit 0 when every lab, check (name, passed, detail) and value is identical, else 1 with the paths that
differ. Wall-clock fields (a key holding "seconds") are skipped: they are the only values that change
between two runs of the same code.
"""
import json
import sys


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if "seconds" in key:
                continue
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'after' if key not in a else 'before'}")
            else:
                walk(a[key], b[key], f"{path}.{key}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} → {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {json.dumps(a, ensure_ascii=False)[:200]} → {json.dumps(b, ensure_ascii=False)[:200]}")


def by_lab(doc):
    runs = doc if isinstance(doc, list) else [doc]
    return {run["lab"]: run for run in runs}


def main(before_path, after_path):
    with open(before_path, encoding="utf-8") as f:
        before = by_lab(json.load(f))
    with open(after_path, encoding="utf-8") as f:
        after = by_lab(json.load(f))
    out = []
    walk(before, after, "$", out)
    for line in out:
        print(line)
    print(f"{len(before)} labs before, {len(after)} after: {'identical' if not out else f'{len(out)} differences'}")
    return 0 if not out else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
