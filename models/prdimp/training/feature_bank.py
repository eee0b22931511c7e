"""Backbone features cached per crop, for training the heads on a frozen pretrained backbone.

    python3 -m prdimp.training.feature_bank build BANK_DIR --nanotrack PTH [--procedural N] [--seed S]
        [--validation-procedural N] [--real DIR ...] [--frames-per-track F] [--crops C] [--tracks-per-sequence K]
    python3 -m prdimp.training.feature_bank info BANK_DIR

With the backbone frozen, a crop's layer2 / layer3 features never change: they are computed once
and stored (float16), and training runs only the classifier and the box regressor on them. The
bank holds, per track (one object of one sequence), up to F frames spread over the frames where
it is present, and per frame C crops with the training jitter (for train frames) and C with the
test jitter (for test frames), the crops of `sampler.py` (side 5 sqrt(w h), border pixels repeated,
288 px); every crop is seeded by (sequence, track, frame, kind, index), so a bank is reproducible.

Sources: the procedural generator (`training_sequence(seed, frames=40)`, RGB kept: the NanoTrack
backbone reads colour; training seeds < 10^6, validation seeds 10^9 + i) and real sequences
(`../shared/data/training`: OTB-style folders with `groundtruth_rect.txt` + `img/`, and folders with
a `tracks_bbox_*.csv` box table beside one frame folder of `t*.tif`), intensities mapped as the Java
engine maps a file. Real tracks are split by a hash of (folder, track id): about one in five is
held out for validation (`split` in the bank), whole videos for the one-track natural videos.

One shard per sequence (`BANK_DIR/<name>.pt`, written atomically), so an interrupted build resumes
where it stopped. Memory: about 93 KB per crop for nanotrack-v2 (24 x 36 x 36 + 48 x 18 x 18
float16 values), 124 KB for v3.
"""
import argparse
import glob
import json
import math
import os
import re
import sys
import zlib
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from ..convert.nanotrack import ConversionError, build_from_nanotrack
from ..net.network import PrDiMPNet
from ..procedural.training_sequences import TRAINING_SEED_LIMIT, normalise_like_engine, training_sequence, validation_seeds
from . import sampler

MIN_FRAMES = 6  # 3 train + 3 test
SPLIT_MODULUS = 5  # one real track in five is held out


@dataclass
class SourceSequence:
    """frames float32 [T, H, W] or [T, H, W, 3] in [0, 1]; tracks {id: [T, 4] (x, y, w, h), NaN absent}."""
    name: str
    frames: np.ndarray
    tracks: Dict[int, np.ndarray]
    splits: Dict[int, str]


def split_of(name: str, track: int) -> str:
    return "val" if zlib.crc32(f"{name}/{track}".encode()) % SPLIT_MODULUS == 0 else "train"


# ---------------------------------------------------------------------------------- sources

def procedural_sequence(seed: int, split: str, tracks_per_sequence: int) -> SourceSequence:
    s = training_sequence(seed, frames=sampler.TRAIN_SEQUENCE_FRAMES)
    boxes = np.asarray(s.boxes, np.float32).copy()
    if s.visible is not None:
        boxes[np.asarray(s.visible) < sampler.MIN_VISIBLE] = np.nan
    tracks = {k: boxes[:, k] for k in range(boxes.shape[1])}
    keep = _longest(tracks, tracks_per_sequence)
    return SourceSequence(f"procedural-{seed}", np.asarray(s.frames, np.float32), {k: tracks[k] for k in keep},
                          {k: split for k in keep})


def _longest(tracks: Dict[int, np.ndarray], limit: int) -> List[int]:
    count = {k: int(_valid(b).sum()) for k, b in tracks.items()}
    ids = sorted((k for k in count if count[k] >= MIN_FRAMES), key=lambda k: (-count[k], k))
    return ids[:limit] if limit else ids


def _valid(boxes: np.ndarray, min_px: float = 4.0) -> np.ndarray:
    return np.all(np.isfinite(boxes), axis=-1) & np.all(np.nan_to_num(boxes[:, 2:]) >= min_px, axis=-1)


def _read_image(path: str) -> np.ndarray:
    from PIL import Image
    with Image.open(path) as im:
        if im.mode in ("RGB", "RGBA", "P", "CMYK"):
            return np.asarray(im.convert("RGB"))
        return np.asarray(im)


def real_sequence(folder: str, tracks_per_sequence: int = 0) -> SourceSequence:
    """An OTB-style folder (groundtruth_rect.txt + img/) or a box-table folder (tracks_bbox_*.csv +
    one folder of t*.tif frames)."""
    name = os.path.basename(os.path.normpath(folder))
    gt = os.path.join(folder, "groundtruth_rect.txt")
    tables = sorted(glob.glob(os.path.join(folder, "tracks_bbox_*.csv")))
    if os.path.isfile(gt):
        paths = sorted(glob.glob(os.path.join(folder, "img", "*")))
        with open(gt) as f:
            rows = [[float(v) for v in re.split(r"[,\s]+", line.strip())[:4]] for line in f if line.strip()]
        boxes = np.full((len(paths), 4), np.nan, np.float32)
        n = min(len(paths), len(rows))
        boxes[:n] = np.asarray(rows[:n], np.float32)
        boxes[~(boxes[:, 2:] > 0).all(axis=1)] = np.nan
        tracks = {1: boxes}
    elif tables:
        dirs = [d for d in sorted(glob.glob(os.path.join(folder, "[0-9][0-9]"))) if glob.glob(os.path.join(d, "t*.tif"))]
        if len(dirs) != 1:
            raise ValueError(f"{folder}: expected one frame folder NN/ of t*.tif beside {os.path.basename(tables[0])}")
        paths = sorted(glob.glob(os.path.join(dirs[0], "t*.tif")))
        table = np.genfromtxt(tables[0], delimiter=",", names=True)
        tracks = {}
        for tid in np.unique(table["track_id"]).astype(int):
            rows = table[table["track_id"] == tid]
            b = np.full((len(paths), 4), np.nan, np.float32)
            b[rows["frame"].astype(int)] = np.stack([rows["x"], rows["y"], rows["w"], rows["h"]], axis=1)
            tracks[int(tid)] = b
    else:
        raise ValueError(f"{folder}: neither groundtruth_rect.txt nor tracks_bbox_*.csv")
    keep = _longest(tracks, tracks_per_sequence)
    raw = np.stack([_read_image(p) for p in paths])
    return SourceSequence(name, normalise_like_engine(raw), {k: tracks[k] for k in keep},
                          {k: split_of(name, k) for k in keep})


# ---------------------------------------------------------------------------------- crops

def crop_seed(name: str, track: int, frame: int, kind: int, index: int) -> int:
    return sampler._stable_seed(zlib.crc32(name.encode()), track, frame, kind, index)


def bank_crop(frame: np.ndarray, box: np.ndarray, jitter: sampler.Jitter, seed: int, crop_size: int,
              search_area_scale: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """One crop [C, S, S] (C = 1 grey, 3 RGB) around a jittered box, and the box in crop pixels."""
    rng = np.random.default_rng(seed)
    jit = sampler.jitter_box(box.astype(np.float64), jitter, rng)
    side = search_area_scale * math.sqrt(jit[2] * jit[3])
    centre = (jit[0] + jit[2] / 2, jit[1] + jit[3] / 2)
    planes = [frame] if frame.ndim == 2 else [frame[..., c] for c in range(frame.shape[-1])]
    cropped = [sampler.crop(np.ascontiguousarray(p), centre, side, crop_size) for p in planes]
    scale, (x0, y0) = cropped[0][1], cropped[0][2]
    out = torch.tensor([(box[0] - x0) * scale, (box[1] - y0) * scale, box[2] * scale, box[3] * scale],
                       dtype=torch.float32)
    return torch.stack([c[0] for c in cropped]), out


def spread_frames(valid: np.ndarray, count: int) -> np.ndarray:
    idx = np.flatnonzero(valid)
    if len(idx) <= count:
        return idx
    return idx[np.round(np.linspace(0, len(idx) - 1, count)).astype(int)]


@torch.no_grad()
def features(net: PrDiMPNet, crops: List[torch.Tensor], batch: int = 16) -> Tuple[torch.Tensor, torch.Tensor]:
    l2s, l3s = [], []
    for i in range(0, len(crops), batch):
        part = crops[i:i + batch]
        c = max(t.shape[0] for t in part)
        images = torch.stack([t.expand(c, -1, -1) for t in part])
        l2, l3 = net.feature_extractor(net.normalise(images))
        l2s.append(l2.half())
        l3s.append(l3.half())
    return torch.cat(l2s), torch.cat(l3s)


def build_shard(net: PrDiMPNet, seq: SourceSequence, frames_per_track: int, crops_per_frame: int) -> Dict:
    cfg = net.cfg
    crops, boxes, index, tracks = [], [], [], []
    for t, (tid, b) in enumerate(sorted(seq.tracks.items())):
        chosen = spread_frames(_valid(b), frames_per_track)
        tracks.append({"track": tid, "frames": [int(f) for f in chosen], "split": seq.splits[tid]})
        for p, f in enumerate(chosen):
            for kind, jitter in ((0, sampler.TRAIN_JITTER), (1, sampler.TEST_JITTER)):
                for j in range(crops_per_frame):
                    img, box = bank_crop(seq.frames[f], b[f], jitter, crop_seed(seq.name, tid, int(f), kind, j),
                                         cfg.crop_size, cfg.search_area_scale)
                    crops.append(img)
                    boxes.append(box)
                    index.append([t, p, kind, j])
    l2, l3 = features(net, crops) if crops else (torch.zeros(0), torch.zeros(0))
    return {"name": seq.name, "tracks": tracks, "layer2": l2, "layer3": l3,
            "boxes": torch.stack(boxes) if boxes else torch.zeros(0, 4),
            "index": torch.tensor(index, dtype=torch.int64).reshape(-1, 4)}


def write_shard(bank_dir: str, shard: Dict) -> str:
    path = os.path.join(bank_dir, shard["name"] + ".pt")
    torch.save(shard, path + ".tmp")
    os.replace(path + ".tmp", path)
    return path


def write_manifest(bank_dir: str, net: PrDiMPNet, info: Dict, settings: Dict) -> None:
    path = os.path.join(bank_dir, "bank.json")
    manifest = {"variant": net.cfg.variant, "backbone": info, "crop_size": net.cfg.crop_size,
                "search_area_scale": net.cfg.search_area_scale, "settings": settings}
    if os.path.isfile(path):
        with open(path) as f:
            old = json.load(f)
        if old["backbone"]["sha256"] != info["sha256"] or old["settings"] != settings:
            raise ValueError(f"{bank_dir} was built with another backbone or other settings; use a new folder")
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1)


def build(bank_dir: str, nanotrack: str, procedural: int = 0, seed: int = 0, validation_procedural: int = 0,
          real: Optional[List[str]] = None, frames_per_track: int = 8, crops_per_frame: int = 1,
          tracks_per_sequence: int = 4, log=print) -> List[str]:
    """Builds (or completes) a bank; returns the shard files. Existing shards are kept."""
    net, info = build_from_nanotrack(nanotrack)
    os.makedirs(bank_dir, exist_ok=True)
    settings = {"frames_per_track": frames_per_track, "crops_per_frame": crops_per_frame,
                "tracks_per_sequence": tracks_per_sequence}
    write_manifest(bank_dir, net, info, settings)
    rng = np.random.default_rng(sampler._stable_seed(seed, 29))
    jobs = [(f"procedural-{int(s)}", lambda s=int(s): procedural_sequence(s, "train", tracks_per_sequence))
            for s in rng.choice(TRAINING_SEED_LIMIT, procedural, replace=False)] if procedural else []
    jobs += [(f"procedural-{s}", lambda s=s: procedural_sequence(s, "val", tracks_per_sequence))
             for s in validation_seeds(validation_procedural)] if validation_procedural else []
    jobs += [(os.path.basename(os.path.normpath(d)), lambda d=d: real_sequence(d, 0 if tracks_per_sequence == 0
                                                                             else 4 * tracks_per_sequence))
             for d in (real or [])]
    paths = []
    for name, make in jobs:
        path = os.path.join(bank_dir, name + ".pt")
        if not os.path.isfile(path):
            seq = make()
            shard = build_shard(net, seq, frames_per_track, crops_per_frame)
            write_shard(bank_dir, shard)
            log(f"{name}: {len(shard['tracks'])} tracks, {shard['boxes'].shape[0]} crops")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------- sampling

class BankSampler:
    """Batches of cached features: a track of the given split, 3 train frames then 3 test frames
    after them (positions among the track's banked frames), one crop of the matching jitter each.
    The batch of step i depends only on (seed, step): a resumed run sees the same batches."""

    def __init__(self, bank_dir: str, split: str, seed: int, batch_size: int, train_frames: int = 3,
                 test_frames: int = 3):
        with open(os.path.join(bank_dir, "bank.json")) as f:
            self.manifest = json.load(f)
        self.shards = [torch.load(p) for p in sorted(glob.glob(os.path.join(bank_dir, "*.pt")))]
        self.seed, self.batch_size = seed, batch_size
        self.train_frames, self.test_frames = train_frames, test_frames
        self.tracks = [(s, t) for s, shard in enumerate(self.shards) for t, tr in enumerate(shard["tracks"])
                       if tr["split"] == split and len(tr["frames"]) >= train_frames + test_frames]
        if not self.tracks:
            raise ValueError(f"{bank_dir} holds no {split} track with {train_frames + test_frames} banked frames")
        self.rows = {}
        for s, shard in enumerate(self.shards):
            for row, (t, p, kind, j) in enumerate(shard["index"].tolist()):
                self.rows.setdefault((s, t, p, kind), []).append(row)

    def batch(self, step: int) -> sampler.Batch:
        rng = np.random.default_rng(sampler._stable_seed(self.seed, 31, step))
        l2s, l3s, boxes = [], [], []
        for _ in range(self.batch_size):
            s, t = self.tracks[int(rng.integers(len(self.tracks)))]
            n = len(self.shards[s]["tracks"][t]["frames"])
            need = self.train_frames + self.test_frames
            split = int(rng.integers(self.train_frames, n - self.test_frames + 1))
            train = np.sort(rng.choice(split, self.train_frames, replace=False))
            test = np.sort(rng.choice(np.arange(split, n), self.test_frames, replace=False))
            rows = [int(rng.choice(self.rows[(s, t, int(p), 0 if i < self.train_frames else 1)]))
                    for i, p in enumerate(np.concatenate([train, test]))]
            assert len(rows) == need
            shard = self.shards[s]
            l2s.append(shard["layer2"][rows])
            l3s.append(shard["layer3"][rows])
            boxes.append(shard["boxes"][rows])
        return sampler.Batch(None, torch.stack(boxes, dim=1), self.train_frames,
                          layer2=torch.stack(l2s, dim=1).float(), layer3=torch.stack(l3s, dim=1).float())


# ---------------------------------------------------------------------------------- command line

def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.training.feature_bank", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build or complete a bank")
    b.add_argument("bank_dir")
    b.add_argument("--nanotrack", required=True, help="NanoTrack's nanotrackv2.pth or nanotrackv3.pth")
    b.add_argument("--procedural", type=int, default=0, help="training sequences from the generator")
    b.add_argument("--seed", type=int, default=0, help="draws the procedural training seeds")
    b.add_argument("--validation-procedural", type=int, default=0, help="held-out generator sequences (seeds 10^9 + i)")
    b.add_argument("--real", nargs="+", default=[], help="real sequence folders (e.g. ../shared/data/training/*)")
    b.add_argument("--frames-per-track", type=int, default=8)
    b.add_argument("--crops", type=int, default=1, help="crops per frame and jitter kind")
    b.add_argument("--tracks-per-sequence", type=int, default=4,
                   help="longest tracks kept per procedural sequence (4x that per real one; 0: all)")
    b.add_argument("--threads", type=int, default=2)
    i = sub.add_parser("info", help="tracks and crops per split")
    i.add_argument("bank_dir")
    a = p.parse_args(argv)
    if a.command == "info":
        counts: Dict[str, List[int]] = {}
        for path in sorted(glob.glob(os.path.join(a.bank_dir, "*.pt"))):
            shard = torch.load(path)
            for t, tr in enumerate(shard["tracks"]):
                c = counts.setdefault(tr["split"], [0, 0])
                c[0] += 1
                c[1] += int((shard["index"][:, 0] == t).sum())
        for split, (tracks, crops) in sorted(counts.items()):
            print(f"{split}: {tracks} tracks, {crops} crops")
        return 0
    torch.set_num_threads(a.threads)
    try:
        build(a.bank_dir, a.nanotrack, a.procedural, a.seed, a.validation_procedural, a.real, a.frames_per_track,
              a.crops, a.tracks_per_sequence)
    except (ConversionError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
