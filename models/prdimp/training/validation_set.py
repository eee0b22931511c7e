"""The held-out real tracks of a training-data folder, laid out for `./prdimp eval`.

    python3 -m prdimp.training.validation_set OUT_DIR --training ../../shared/data/training

`feature_bank` holds out about one real track in five (`split_of`: a hash of folder and track id;
whole videos for the one-track natural videos). This writes, for every folder of the training data,
what `./prdimp eval --sequences OUT_DIR/microscopy OUT_DIR/natural --min-track-frames 20` needs to score exactly those
tracks and nothing the heads were trained on:
- a box-table folder (`tracks_bbox_*.csv` beside one `NN/` of frames) becomes `microscopy/<name>/`
  with `NN` linked to the frames, the held-out rows only in `tracks_bbox_from_TRA.csv`, and an empty
  `NN_GT/TRA/man_track.txt` (the evaluation harness recognises a Cell Tracking Challenge folder by it
  and reads the box table instead of masks);
- a held-out OTB-style video (`groundtruth_rect.txt` + `img/`) becomes a link `natural/<name>`.
Nothing is copied: the frames stay where they are (links), so the folder is small and rebuilt in a second.
"""
import argparse
import csv
import glob
import os
import sys
from typing import Dict, List

from .feature_bank import split_of


def write(out_dir: str, training_dir: str, min_frames: int = 20) -> Dict[str, List[str]]:
    """Writes the layout (box-table tracks present in fewer than min_frames frames left out, and a
    folder left out when none is left); returns {group: [what each entry holds]}."""
    made: Dict[str, List[str]] = {"microscopy": [], "natural": []}
    for folder in sorted(glob.glob(os.path.join(training_dir, "*", ""))):
        folder = os.path.abspath(folder)
        name = os.path.basename(os.path.normpath(folder))
        tables = sorted(glob.glob(os.path.join(folder, "tracks_bbox_*.csv")))
        if os.path.isfile(os.path.join(folder, "groundtruth_rect.txt")):
            if split_of(name, 1) == "val":
                link = os.path.join(out_dir, "natural", name)
                os.makedirs(os.path.dirname(link), exist_ok=True)
                if not os.path.islink(link):
                    os.symlink(folder, link)
                made["natural"].append(name)
        elif tables:
            frames = [d for d in sorted(glob.glob(os.path.join(folder, "[0-9][0-9]"))) if glob.glob(os.path.join(d, "t*.tif"))]
            if len(frames) != 1:
                raise ValueError(f"{folder}: expected one frame folder NN/ of t*.tif beside {os.path.basename(tables[0])}")
            with open(tables[0], newline="") as f:
                rows = list(csv.reader(f))
            count: Dict[str, int] = {}
            for r in rows[1:]:
                count[r[0]] = count.get(r[0], 0) + 1
            kept = [r for r in rows[1:] if split_of(name, int(float(r[0]))) == "val" and count[r[0]] >= min_frames]
            if not kept:
                continue
            nn = os.path.basename(frames[0])
            target = os.path.join(out_dir, "microscopy", name)
            os.makedirs(os.path.join(target, nn + "_GT", "TRA"), exist_ok=True)
            open(os.path.join(target, nn + "_GT", "TRA", "man_track.txt"), "w").close()
            if not os.path.islink(os.path.join(target, nn)):
                os.symlink(frames[0], os.path.join(target, nn))
            tmp = os.path.join(target, "tracks_bbox_from_TRA.csv.tmp")
            with open(tmp, "w", newline="") as f:
                csv.writer(f).writerows([rows[0]] + kept)
            os.replace(tmp, os.path.join(target, "tracks_bbox_from_TRA.csv"))
            made["microscopy"].append(f"{name}: {len({r[0] for r in kept})} held-out tracks")
    return made


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.training.validation_set", description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--training", required=True, help="the training-data folder (../shared/data/training)")
    p.add_argument("--min-frames", type=int, default=20, help="shortest held-out track kept (frames); give eval the same "
                                                            "--min-track-frames")
    a = p.parse_args(argv)
    if not os.path.isdir(a.training):
        print(f"error: {a.training} is not a folder; give the training-data folder (../shared/data/training)", file=sys.stderr)
        return 2
    try:
        made = write(a.out_dir, a.training, a.min_frames)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for group, items in made.items():
        print(f"{group}: {'; '.join(items) if items else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
