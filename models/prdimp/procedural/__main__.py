"""Write procedural time-lapses as files: a multi-page TIFF and its ground-truth boxes (CSV).

    python3 -m prdimp.procedural OUT_DIR [--frames N] [--size W H] [--objects K] [--seed S]
                                 [--bits 8|16] [--preset nuclei|sample|fast] [--name STEM]
    python3 -m prdimp.procedural OUT_DIR --preset KIND [--seed S] [--size W H] [--frames N] [--bits 8|16]
    python3 -m prdimp.procedural OUT_DIR --validation-set N [--size W H] [--frames N]

The presets nuclei, sample and fast render `nuclei.render_sequence` and write OUT_DIR/sequence.tif
(multi-page greyscale TIFF) and OUT_DIR/groundtruth.csv (`track_id,frame,x,y,w,h`). The presets
named after the kinds of `training_sequences` (fluo-nuclei, fluo-cells, phase-contrast, brightfield,
generic-grey, generic-rgb) write one procedural training sequence (`training_sequence(seed, kind,
size, frames)`) as the camera's integer stack (RGB for generic-rgb), its ground truth (rows only for
frames where the object is present) and `lineage.csv` (`track_id,first_frame,last_frame,parent_id`,
parent 0 for none). `--validation-set N` writes the held-out sequences of `validation_seeds(N)` into
OUT_DIR/val-NNNN-KIND/ folders, with an index.csv.
"""
import argparse
import dataclasses
import os
import sys

from .nuclei import PRESET_SEEDS, PRESETS, SequenceSpec, write_sequence
from .sequence_io import training_tracks, write_training_sequence
from .training_sequences import KINDS, MIN_SIDE, training_sequence, write_validation_set


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def spec_from_args(args: argparse.Namespace) -> SequenceSpec:
    """The preset's spec with the command-line overrides applied."""
    changes = {}
    if args.frames is not None:
        changes["frames"] = args.frames
    if args.size is not None:
        changes["width"], changes["height"] = args.size
    if args.objects is not None:
        changes["objects"] = args.objects
    if args.bits is not None:
        changes["bits"] = args.bits
    return dataclasses.replace(PRESETS[args.preset], **changes)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.procedural",
                                description="Write a synthetic time-lapse (multi-page TIFF) and its ground-truth "
                                            "boxes (CSV), or a held-out validation set of training-data sequences.")
    p.add_argument("out_dir", help="folder for sequence.tif and groundtruth.csv (created if absent)")
    p.add_argument("--preset", choices=sorted(PRESETS) + list(KINDS), default="nuclei",
                   help="default: nuclei; " + ", ".join(KINDS) + ": training-data kinds")
    p.add_argument("--frames", type=_positive_int, metavar="N")
    p.add_argument("--size", type=_positive_int, nargs=2, metavar=("W", "H"))
    p.add_argument("--objects", type=_positive_int, metavar="K", help="objects (not for the training-data kinds)")
    p.add_argument("--seed", type=_seed, metavar="S", help="default: the preset's (sample 1, others 0)")
    p.add_argument("--bits", type=int, choices=(8, 16), help="bit depth of the TIFF (default: the preset's)")
    p.add_argument("--name", metavar="STEM", default="",
                   help="write STEM.tif and STEM.csv instead of sequence.tif and groundtruth.csv")
    p.add_argument("--validation-set", type=_positive_int, metavar="N",
                   help="write the N held-out validation sequences (validation_seeds(N)) into OUT_DIR/val-*/")
    args = p.parse_args(argv)
    if os.path.exists(args.out_dir) and not os.path.isdir(args.out_dir):
        p.error(f"{args.out_dir} exists and is not a folder")
    if args.validation_set is not None or args.preset in KINDS:
        if args.objects is not None:
            p.error("--objects applies to the presets " + ", ".join(sorted(PRESETS)) + " only")
        if args.size is not None and min(args.size) < MIN_SIDE:
            p.error(f"--size must be at least {MIN_SIDE} {MIN_SIDE} for the training-data kinds")
        if args.frames is not None and args.frames < 2:
            p.error("--frames must be at least 2 for the training-data kinds")
    if args.validation_set is not None:
        extra = [flag for flag, value in (("--seed", args.seed), ("--bits", args.bits), ("--name", args.name))
                 if value not in (None, "")]
        if extra:
            p.error(f"{', '.join(extra)} do(es) not apply to --validation-set (its seeds are validation_seeds(N))")
        folders = write_validation_set(args.out_dir, args.validation_set, args.size, args.frames)
        print(f"wrote {len(folders)} validation sequences and index.csv into {args.out_dir}")
        return 0
    if args.preset in KINDS:
        seed = 0 if args.seed is None else args.seed
        seq = training_sequence(seed, args.preset, args.size, args.frames, bits=args.bits)
        tif, gt = write_training_sequence(args.out_dir, seq, args.name)
        t, h, w = seq.frames.shape[:3]
        print(f"wrote {tif} ({t} frames, {w}x{h}, {seq.bits}-bit{', RGB' if seq.frames.ndim == 4 else ''}) and {gt} "
              f"({len(training_tracks(seq))} tracks, {seq.info['divisions']} divisions; kind {seq.kind}, seed {seed}, "
              f"SNR {seq.snr:.1f})")
        return 0
    spec = spec_from_args(args)
    try:
        spec.validate()
    except ValueError as e:
        p.error(str(e))
    seed = PRESET_SEEDS[args.preset] if args.seed is None else args.seed
    tif, gt = write_sequence(args.out_dir, spec, seed, args.name)
    print(f"wrote {tif} ({spec.frames} frames, {spec.width}x{spec.height}, {spec.bits}-bit) and {gt} "
          f"({spec.objects} tracks; preset {args.preset}, seed {seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
