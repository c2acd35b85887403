#!/usr/bin/env python3
"""Reads a Stryker.NET JSON report and prints, per folder, the score and the mutants still alive. With --config it
writes a Stryker config whose "mutate" spans (character offsets) cover only the lines of those mutants, so that the
rerun after new tests retests the survivors alone (killed mutants stay killed: the library and the old tests are
unchanged). With --after, a mutant alive in REPORT but killed in a rerun's report counts as killed. A file that
changed after REPORT (a bug fixed) is measured again whole, with the first run's test filter, and --remeasured takes
that file's mutants from the rerun's report instead of REPORT's.

  python3 tools/mutation/survivors.py StrykerOutput/Optim-before/reports/mutation-report.json
  python3 tools/mutation/survivors.py REPORT --config StrykerOutput/after.json
  python3 tools/mutation/survivors.py REPORT --after AFTER_REPORT   # the score once the rerun's kills are counted
  python3 tools/mutation/survivors.py REPORT --after AFTER_REPORT --table   # also a Markdown row per mutant alive in REPORT
  python3 tools/mutation/survivors.py REPORT --remeasured RERUN_REPORT=Pooling.cs   # Pooling.cs's mutants from the rerun
  python3 tools/mutation/survivors.py REPORT --config StrykerOutput/timeouts.json --timeouts   # the timed-out mutants alone
"""
import argparse, json, sys

ALIVE = ("Survived", "NoCoverage")
COUNTED = ("Killed", "Timeout") + ALIVE


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def test_classes(report):
    """Test id -> the class of the test (the name's part before the method), from a report's testFiles."""
    names = {}
    for test_file in report.get("testFiles", {}).values():
        for t in test_file.get("tests", []):
            names[t["id"]] = t["name"].split("(")[0].rsplit(".", 2)[-2]
    return names


def relative(path):
    """The path from src/SharpGrad/ on, so that reports written in different checkouts match."""
    return path[path.index("src/SharpGrad/"):] if "src/SharpGrad/" in path else path


def key(path, m):
    start, end = m["location"]["start"], m["location"]["end"]
    return (relative(path), start["line"], start["column"], end["line"], end["column"], m["mutatorName"], m.get("replacement"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--config", help="write a stryker config retesting only the alive mutants' lines")
    ap.add_argument("--base", default="tests/SharpGrad.Tests/stryker-config.json", help="config to extend")
    ap.add_argument("--after", action="append", default=[],
                    help="report of a rerun (repeatable): a mutant alive in REPORT and killed there counts as killed")
    ap.add_argument("--timeouts", action="store_true",
                    help="with --config: retest the mutants that timed out instead, each by its own span (is the hang its own?)")
    ap.add_argument("--table", action="store_true",
                    help="print a Markdown row per mutant alive in REPORT: where, the mutation, its status, the test classes that kill it now")
    ap.add_argument("--remeasured", action="append", default=[],
                    help="REPORT=NAME.cs (repeatable): take file NAME.cs, mutated whole again after it changed, from REPORT instead")
    args = ap.parse_args()
    files = {relative(path): f for path, f in load(args.report)["files"].items()}
    for spec in args.remeasured:
        report, _, only = spec.partition("=")
        for path, f in load(report)["files"].items():
            if not only or relative(path).endswith("/" + only):
                files[relative(path)] = f
    killed_after, killers = set(), {}
    for after in args.after:
        report = load(after)
        classes = test_classes(report)
        for path, f in report["files"].items():
            for m in f["mutants"]:
                if m["status"] in ("Killed", "Timeout"):
                    killed_after.add(key(path, m))
                    killers.setdefault(key(path, m), set()).update(classes.get(t, t) for t in m.get("killedBy") or [])
    spans, folders, table = [], {}, []
    for path, f in sorted(files.items()):
        rel = relative(path)
        folder = rel.split("/")[2]
        lines = f["source"].split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        alive = set()
        for m in f["mutants"]:
            s = first = m["status"]
            if args.timeouts and s == "Timeout":
                start, end = m["location"]["start"], m["location"]["end"]
                alive.add((starts[start["line"] - 1] + start["column"] - 1, starts[end["line"] - 1] + end["column"] - 1))
            if s in ALIVE and key(path, m) in killed_after:
                s = "Killed"
            if s not in COUNTED:
                continue
            c = folders.setdefault(folder, {k: 0 for k in COUNTED})
            c[s] += 1
            if s in ALIVE and not args.timeouts:
                a, b = m["location"]["start"]["line"], m["location"]["end"]["line"]
                alive.add((starts[a - 1], starts[b] - 1))   # whole lines: the span must contain the mutant
                print(f"{rel}:{a}\t{s}\t{m['mutatorName']}\t{m.get('replacement', '').strip()[:90]}")
            if args.table and first in ALIVE:
                replacement = " ".join(m.get("replacement", "").split())
                replacement = replacement if len(replacement) <= 60 else replacement[:60] + "…"
                replacement = replacement.replace("|", "\\|")
                k = key(path, m)
                fate = ("killed: " + ", ".join(sorted(killers[k])) if killers.get(k) else "killed") if k in killed_after else "alive"
                table.append(f"| `{rel.split('/')[-1]}:{m['location']['start']['line']}` | {m['mutatorName']}: `{replacement}` | {first} | {fate} |")
        if alive:
            spans.append(f"**/{rel}" + "".join(f"{{{a}..{b}}}" for a, b in sorted(alive)))
    for folder, c in folders.items():
        total = sum(c.values())
        killed = c["Killed"] + c["Timeout"]
        print(f"{folder}: {killed}/{total} killed ({100 * killed / total:.2f} %), "
              f"{c['Survived']} survived, {c['NoCoverage']} not covered", file=sys.stderr)
    if args.table:
        print("| where | mutation | before | now |\n| --- | --- | --- | --- |")
        print("\n".join(table))
    if args.config:
        with open(args.base, encoding="utf-8") as f:
            config = json.load(f)
        config["stryker-config"]["mutate"] = spans
        with open(args.config, "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2)


if __name__ == "__main__":
    main()
