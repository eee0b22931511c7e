"""Checks a merged batch table against the generated ground truth (columns read by header name): one row per
stack, target and frame of the truth and no other, every box found, centres near the truth.

usage: python3 check_merged.py MERGED_CSV TRUTH_CSV [--max-median-error PX] [--max-error PX]
"""
import argparse
import csv
import math
import statistics
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("merged")
    ap.add_argument("truth")
    ap.add_argument("--max-median-error", type=float, default=3.0)
    ap.add_argument("--max-error", type=float, default=12.0)
    a = ap.parse_args()
    with open(a.truth, newline="") as f:
        truth = {(r["stack"], int(r["target"]), int(r["frame"])): r for r in csv.DictReader(f)}
    with open(a.merged, newline="") as f:
        reader = csv.DictReader(f)
        missing = {"stack", "target", "frame", "x", "y", "w", "h", "confidence"} - set(reader.fieldnames)
        if missing:
            sys.exit("check_merged: FAILED: %s lacks the columns %s (header %s)" % (a.merged, sorted(missing), reader.fieldnames))
        rows = list(reader)
    seen, errors = set(), []
    for r in rows:
        key = (r["stack"], int(r["target"]), int(r["frame"]))
        if key not in truth:
            sys.exit("check_merged: FAILED: row %s has no ground truth (an extra stack, target or frame)" % (key,))
        if key in seen:
            sys.exit("check_merged: FAILED: row %s appears twice" % (key,))
        seen.add(key)
        if not r["x"]:
            sys.exit("check_merged: FAILED: %s was not found (empty box, state %s)" % (key, r.get("state")))
        t = truth[key]
        cx, cy = float(r["x"]) + float(r["w"]) / 2, float(r["y"]) + float(r["h"]) / 2
        tx, ty = float(t["x"]) + float(t["w"]) / 2, float(t["y"]) + float(t["h"]) / 2
        errors.append(math.hypot(cx - tx, cy - ty))
    if seen != set(truth):
        sys.exit("check_merged: FAILED: %d row(s) of the ground truth missing, e.g. %s" % (len(set(truth) - seen),
                 sorted(set(truth) - seen)[0]))
    med, worst = statistics.median(errors), max(errors)
    stacks = len({k[0] for k in seen})
    print("check_merged: %d rows (%d stacks), centre error median %.2f px, max %.2f px" % (len(rows), stacks, med, worst))
    if med > a.max_median_error or worst > a.max_error:
        sys.exit("check_merged: FAILED: centre errors above the bounds (median %.1f, max %.1f px)" % (a.max_median_error,
                 a.max_error))


if __name__ == "__main__":
    main()
