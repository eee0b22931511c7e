"""Held-out validation: procedural sequences tracked by the Java CLI (`./prdimp track`) and scored.

    python3 -m prdimp.training.validate write OUT_DIR [--count N]
    python3 -m prdimp.training.validate track SET_DIR MODEL_DIR RESULT_DIR [--prdimp PATH]
    python3 -m prdimp.training.validate score SET_DIR RESULT_DIR [--json OUT]

`write` renders the held-out sequences (seeds from `validation_seeds`, never trained on) as
SET_DIR/<name>/sequence.tif + groundtruth.csv. `track` runs `./prdimp track` once per sequence
with every target visible in frame 0 and writes RESULT_DIR/<name>.csv. `score` compares them with
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
from typing import Dict, List, Optional, Tuple

import numpy as np

from .. import synthetic
from . import data

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


def write_set(out_dir: str, count: int) -> List[str]:
    names = []
    make = getattr(synthetic, "training_sequence", None)
    for seed in data.validation_seeds(count):
        seq = make(seed) if make is not None else data._adapter_sequence(seed)
        frames = data.engine_normalise(np.asarray(seq.frames, np.float32))
        boxes = np.asarray(seq.boxes, np.float64)
        name = f"val-{seed}"
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        synthetic.write_tiff(os.path.join(d, "sequence.tif"), frames, bits=16)
        tracks = {k + 1: boxes[:, k] for k in range(boxes.shape[1])}
        with open(os.path.join(d, "groundtruth.csv"), "w") as f:
            f.write("track_id,frame,x,y,w,h\n")
            for k, b in tracks.items():
                for t, box in enumerate(b):
                    if np.all(np.isfinite(box)):
                        f.write(f"{k},{t},{box[0]:.3f},{box[1]:.3f},{box[2]:.3f},{box[3]:.3f}\n")
        names.append(name)
    return names


def first_frame_targets(gt: Dict[int, Dict[int, np.ndarray]], min_size: float = 4.0) -> List[Tuple[int, np.ndarray]]:
    return [(k, fr[0]) for k, fr in sorted(gt.items()) if 0 in fr and min(fr[0][2:]) >= min_size]


def track(input_path: str, gt_path: str, model: str, out_csv: str, prdimp: str,
          targets: Optional[List[int]] = None) -> List[int]:
    """Tracks the targets visible in frame 0; returns their ground-truth ids in target order."""
    gt = read_boxes_csv(gt_path, "track_id")
    chosen = [(k, b) for k, b in first_frame_targets(gt) if targets is None or k in targets]
    args = [prdimp, "track", "--input", input_path, "--out", out_csv, "--model", model, "--device", "cpu"]
    for _, b in chosen:
        args += ["--box", ",".join(f"{v:.3f}" for v in b)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(out_csv + ".ids.json", "w") as f:
        json.dump([k for k, _ in chosen], f)
    return [k for k, _ in chosen]


def iou_inclusive(a: np.ndarray, b: np.ndarray) -> float:
    tl = np.maximum(a[:2], b[:2])
    br = np.minimum(a[:2] + a[2:] - 1, b[:2] + b[2:] - 1)
    inter = np.prod(np.clip(br - tl + 1, 0, None))
    union = np.prod(a[2:]) + np.prod(b[2:]) - inter
    return float(inter / union) if union > 0 else 0.0


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
        e = float(np.linalg.norm((p[:2] + (p[2:] - 1) / 2) - (g[:2] + (g[2:] - 1) / 2)))
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
    w = sub.add_parser("write")
    w.add_argument("out_dir")
    w.add_argument("--count", type=int, default=12)
    t = sub.add_parser("track")
    t.add_argument("set_dir")
    t.add_argument("model")
    t.add_argument("result_dir")
    t.add_argument("--prdimp", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "prdimp"))
    t.add_argument("--input", help="track this image sequence (with --groundtruth) instead of SET_DIR")
    t.add_argument("--groundtruth")
    s = sub.add_parser("score")
    s.add_argument("set_dir")
    s.add_argument("result_dir")
    s.add_argument("--groundtruth", help="one ground-truth CSV for RESULT_DIR/single.csv")
    s.add_argument("--json")
    a = p.parse_args(argv)
    if a.command == "write":
        print("\n".join(write_set(a.out_dir, a.count)))
        return 0
    if a.command == "track":
        os.makedirs(a.result_dir, exist_ok=True)
        if a.input:
            track(a.input, a.groundtruth, a.model, os.path.join(a.result_dir, "single.csv"), os.path.abspath(a.prdimp))
            return 0
        for name in sorted(os.listdir(a.set_dir)):
            d = os.path.join(a.set_dir, name)
            track(os.path.join(d, "sequence.tif"), os.path.join(d, "groundtruth.csv"), a.model,
                  os.path.join(a.result_dir, name + ".csv"), os.path.abspath(a.prdimp))
        return 0
    if a.groundtruth:
        pairs = [(os.path.join(a.result_dir, "single.csv"), a.groundtruth)]
    else:
        pairs = [(os.path.join(a.result_dir, n + ".csv"), os.path.join(a.set_dir, n, "groundtruth.csv"))
                 for n in sorted(os.listdir(a.set_dir))]
    r = score(pairs)
    print(json.dumps(r["mean"], indent=1), f"over {r['targets']} targets")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
