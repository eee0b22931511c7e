"""Held-out validation: procedural sequences tracked by the Java CLI (`./prdimp track`) and scored.

    python3 -m prdimp.procedural SET_DIR --validation-set 8 --frames 40
    python3 -m prdimp.training.validate track SET_DIR MODEL_DIR RESULT_DIR [--max-targets K]
    python3 -m prdimp.training.validate score SET_DIR RESULT_DIR [--json OUT]

The held-out set (seeds from `validation_seeds`, never trained on) is written by the generator as
SET_DIR/<name>/sequence.tif + groundtruth.csv. `track` runs `./prdimp track` once per sequence
with the first K targets (by id) present in frame 0 and writes RESULT_DIR/<name>.csv. `score` compares them with
the ground truth: each target is one single-object sequence; frame 0 (the given box) is excluded;
IoU with inclusive corners; success AUC over thresholds 0, 0.05, .., 1; precision@20 px on the
centres; mean IoU; centre-in-half-size. A minimal scorer for training decisions; the project's
evaluation harness is `./prdimp eval`.
The shared real sequences work too: `score` reads a CTC-style CSV (`track_id,frame,x,y,w,h,...`)
given with --groundtruth, and `track` takes --input and --groundtruth for a single folder.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
from typing import Dict, List, Tuple

import numpy as np


THRESHOLDS = np.linspace(0.0, 1.0, 21)


def read_boxes_csv(path: str, id_col: str) -> Dict[int, Dict[int, np.ndarray]]:
    """{id: {frame: (x, y, w, h)}} from a CSV with columns id_col, frame, x, y, w, h."""
    out: Dict[int, Dict[int, np.ndarray]] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            try:
                box = np.array([float(row[k]) for k in ("x", "y", "w", "h")])
            except ValueError:
                continue  # an empty box: target lost in that frame
            if np.all(np.isfinite(box)):
                out.setdefault(int(row[id_col]), {})[int(row["frame"])] = box
    return out


def sequence_folders(set_dir: str) -> List[str]:
    return sorted(n for n in os.listdir(set_dir) if os.path.isfile(os.path.join(set_dir, n, "sequence.tif")))


def first_frame_targets(gt: Dict[int, Dict[int, np.ndarray]], min_size: float = 4.0) -> List[Tuple[int, np.ndarray]]:
    return [(k, fr[0]) for k, fr in sorted(gt.items()) if 0 in fr and min(fr[0][2:]) >= min_size]


def track(input_path: str, gt_path: str, model: str, out_csv: str, prdimp: str, max_targets: int = 0,
          min_frames: int = 0) -> List[int]:
    """Tracks the targets present in frame 0 (and in at least min_frames frames; the first
    max_targets by id, 0: all); returns their ground-truth ids in target order."""
    gt = read_boxes_csv(gt_path, "track_id")
    chosen = [(k, b) for k, b in first_frame_targets(gt) if len(gt[k]) >= min_frames]
    chosen = chosen[:max_targets] if max_targets else chosen
    args = [prdimp, "track", "--input", input_path, "--out", out_csv, "--model", model, "--device", "cpu"]
    for _, b in chosen:
        args += ["--box", ",".join(f"{v:.3f}" for v in b)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(out_csv + ".ids.json", "w") as f:
        json.dump([k for k, _ in chosen], f)
    return [k for k, _ in chosen]


def iou_inclusive(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of two (x, y, w, h) boxes with inclusive pixel corners: bottom-right = xy + wh - 1, an
    intersection side is clamp(min(br) - max(tl) + 1, 0); 0 where the union is empty. The
    convention of the Java evaluation (`org.prdimp.fiji.eval.Metrics.iou`) and the design notes'
    evaluation.md: the one IoU of this scorer."""
    tl = np.maximum(a[:2], b[:2])
    br = np.minimum(a[:2] + a[2:] - 1, b[:2] + b[2:] - 1)
    inter = np.prod(np.clip(br - tl + 1, 0, None))
    union = np.prod(a[2:]) + np.prod(b[2:]) - inter
    return float(inter / union) if union > 0 else 0.0


def centre_error(a: np.ndarray, b: np.ndarray) -> float:
    """Distance in pixels between the centres xy + (wh - 1) / 2 of two (x, y, w, h) boxes (inclusive
    corners, as `org.prdimp.fiji.eval.Metrics.centreError`)."""
    return float(np.linalg.norm((a[:2] + (a[2:] - 1) / 2) - (b[:2] + (b[2:] - 1) / 2)))


def score_target(pred: Dict[int, np.ndarray], truth: Dict[int, np.ndarray]) -> Dict[str, float]:
    ious, errs, half = [], [], []
    for t, g in sorted(truth.items()):
        if t == 0:
            continue
        p = pred.get(t)
        if p is None:
            ious.append(0.0)
            errs.append(np.inf)
            half.append(False)
            continue
        ious.append(iou_inclusive(p, g))
        e = centre_error(p, g)
        errs.append(e)
        half.append(e < 0.5 * np.sqrt(g[2] * g[3]))
    ious_a, errs_a = np.array(ious), np.array(errs)
    success = [(ious_a > t).mean() for t in THRESHOLDS]
    return {"frames": len(ious), "auc": float(np.mean(success)), "mean_iou": float(ious_a.mean()),
            "p20": float((errs_a <= 20).mean()), "centre_in_half_size": float(np.mean(half))}


def score(results: List[Tuple[str, str]], id_col: str = "track_id") -> Dict:
    """results: (result CSV, ground-truth CSV) pairs -> per-target and mean figures."""
    per = []
    for res_csv, gt_csv in results:
        gt = read_boxes_csv(gt_csv, id_col)
        ids = json.load(open(res_csv + ".ids.json"))
        pred = read_boxes_csv(res_csv, "target")
        for i, k in enumerate(ids):
            # the CLI numbers targets from 0 or 1 depending on its version: take the first id seen
            base = min(pred) if pred else 0
            s = score_target(pred.get(base + i, {}), gt[k])
            s.update(sequence=os.path.basename(os.path.dirname(gt_csv)), track=k)
            per.append(s)
    mean = {m: float(np.mean([p[m] for p in per])) for m in ("auc", "mean_iou", "p20", "centre_in_half_size")}
    return {"targets": len(per), "mean": mean, "per_target": per}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.training.validate", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("track")
    t.add_argument("set_dir")
    t.add_argument("model")
    t.add_argument("result_dir")
    t.add_argument("--prdimp", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "prdimp"))
    t.add_argument("--input", help="track this image sequence (with --groundtruth) instead of SET_DIR")
    t.add_argument("--groundtruth")
    t.add_argument("--max-targets", type=int, default=6, help="0: all")
    t.add_argument("--min-frames", type=int, default=0, help="only targets present in at least this many frames")
    s = sub.add_parser("score")
    s.add_argument("set_dir")
    s.add_argument("result_dir")
    s.add_argument("--groundtruth", help="one ground-truth CSV for RESULT_DIR/single.csv")
    s.add_argument("--json")
    a = p.parse_args(argv)
    if a.command == "track":
        os.makedirs(a.result_dir, exist_ok=True)
        if a.input:
            track(a.input, a.groundtruth, a.model, os.path.join(a.result_dir, "single.csv"), os.path.abspath(a.prdimp),
                  a.max_targets, a.min_frames)
            return 0
        for name in sequence_folders(a.set_dir):
            d = os.path.join(a.set_dir, name)
            track(os.path.join(d, "sequence.tif"), os.path.join(d, "groundtruth.csv"), a.model,
                  os.path.join(a.result_dir, name + ".csv"), os.path.abspath(a.prdimp), a.max_targets, a.min_frames)
        return 0
    if a.groundtruth:
        pairs = [(os.path.join(a.result_dir, "single.csv"), a.groundtruth)]
    else:
        pairs = [(os.path.join(a.result_dir, n + ".csv"), os.path.join(a.set_dir, n, "groundtruth.csv"))
                 for n in sequence_folders(a.set_dir)]
    r = score(pairs)
    print(json.dumps(r["mean"], indent=1), f"over {r['targets']} targets")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
