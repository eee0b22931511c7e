"""Sequence files: multi-page TIFF stacks and ground-truth / lineage CSVs, as the generators write
them and the tests read them back. A leaf: numpy and Pillow only.

Ground truth: `track_id,frame,x,y,w,h` (frames 0-based, 3 decimals, rows only where the object is
present); boxes (x, y, w, h), top-left corner, pixel i covers [i, i+1).
"""
import csv
import os
from typing import Dict, Tuple

import numpy as np

Tracks = Dict[int, np.ndarray]


def to_integer(frames: np.ndarray, bits: int) -> np.ndarray:
    """Scale a stack linearly so that its minimum and maximum span the full 8- or 16-bit range."""
    if bits not in (8, 16):
        raise ValueError(f"bits must be 8 or 16, got {bits}")
    top = 2 ** bits - 1
    lo, hi = float(frames.min()), float(frames.max())
    scaled = (frames.astype(np.float64) - lo) * (top / (hi - lo) if hi > lo else 0.0)
    return np.rint(scaled).clip(0, top).astype(np.uint8 if bits == 8 else np.uint16)


def write_tiff(path: str, frames: np.ndarray, bits: int = 8) -> np.ndarray:
    """Write [T, H, W] frames as an uncompressed multi-page greyscale TIFF ([T, H, W, 3] as 8-bit
    RGB); integer frames of the matching dtype are written as they are, anything else is scaled by
    `to_integer`. Returns the integer stack written."""
    from PIL import Image
    if frames.ndim == 4 and bits != 8:
        raise ValueError("RGB stacks are written as 8-bit only")
    dtype = np.uint8 if bits == 8 else np.uint16
    data = frames if frames.dtype == dtype else to_integer(frames, bits)
    pages = [Image.fromarray(np.ascontiguousarray(page)) for page in data]
    pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:])
    return data


def read_tiff(path: str) -> np.ndarray:
    """Read every page of a TIFF into [T, H, W] (greyscale) or [T, H, W, 3] (RGB)."""
    from PIL import Image
    with Image.open(path) as im:
        pages = []
        for i in range(im.n_frames):
            im.seek(i)
            pages.append(np.array(im))
    return np.stack(pages)


def write_groundtruth_csv(path: str, tracks: Tracks) -> None:
    """CSV `track_id,frame,x,y,w,h`, grouped by track, frame 0-based, 3 decimals; NaN rows (the
    object is absent from that frame) are left out."""
    with open(path, "w", newline="") as f:
        f.write("track_id,frame,x,y,w,h\n")
        for tid in sorted(tracks):
            for frame, (x, y, w, h) in enumerate(np.asarray(tracks[tid], dtype=np.float64)):
                if np.isnan(x):
                    continue
                f.write(f"{tid},{frame},{x:.3f},{y:.3f},{w:.3f},{h:.3f}\n")


def read_groundtruth_csv(path: str) -> Tracks:
    """Read a ground-truth CSV back into {track_id: [T, 4]}, T = 1 + the last frame of any track;
    frames without a row for a track are NaN rows."""
    rows: Dict[int, Dict[int, Tuple[float, ...]]] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            box = tuple(float(row[c]) for c in ("x", "y", "w", "h"))
            rows.setdefault(int(row["track_id"]), {})[int(row["frame"])] = box
    n = 1 + max((max(frames) for frames in rows.values()), default=-1)
    out = {}
    for tid, frames in rows.items():
        boxes = np.full((n, 4), np.nan)
        for i, box in frames.items():
            boxes[i] = box
        out[tid] = boxes
    return out


def training_tracks(seq) -> Tracks:
    """{track_id (slot + 1): [T, 4]} of the slots of a TrainingSequence that appear at least once."""
    return {k + 1: seq.boxes[:, k].astype(np.float64) for k in range(seq.boxes.shape[1])
            if np.isfinite(seq.boxes[:, k, 0]).any()}


def write_lineage_csv(path: str, seq) -> None:
    """CSV `track_id,first_frame,last_frame,parent_id` (parent 0: none) of the tracks that appear."""
    with open(path, "w", newline="") as f:
        f.write("track_id,first_frame,last_frame,parent_id\n")
        for tid, boxes in training_tracks(seq).items():
            present = np.flatnonzero(np.isfinite(boxes[:, 0]))
            f.write(f"{tid},{present[0]},{present[-1]},{int(seq.parents[tid - 1]) + 1}\n")


def write_training_sequence(out_dir: str, seq, name: str = "") -> Tuple[str, str]:
    """Write a TrainingSequence's integer stack (`sequence.tif`), ground truth (`groundtruth.csv`)
    and `lineage.csv` (or NAME.tif, NAME.csv, NAME-lineage.csv) into out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    tif = os.path.join(out_dir, (name or "sequence") + ".tif")
    gt = os.path.join(out_dir, (name or "groundtruth") + ".csv")
    write_tiff(tif, seq.raw, seq.bits)
    write_groundtruth_csv(gt, training_tracks(seq))
    write_lineage_csv(os.path.join(out_dir, (name + "-" if name else "") + "lineage.csv"), seq)
    return tif, gt
